// The "load" list: one entry per image, the allowed keys depend on "type".
#include "sim/scenario/load_spec_parser.h"

#include "sim/scenario/input_path.h"

namespace dlsim {

namespace {

constexpr size_t kMaxCmdline = 4096;

std::vector<ModuleSpec> parseModules(const JsonValue& v, const std::string& scenarioFile) {
  std::vector<ModuleSpec> modules;
  for (const JsonValue& item : v.array(0, 64)) {
    JsonObjectReader o = item.object({"file", "cmdline", "nounzip"});
    ModuleSpec m;
    m.file = resolveInputFile(o.required("file"), scenarioFile);
    if (auto c = o.optional("cmdline")) m.cmdline = c->string(0, kMaxCmdline);
    if (auto n = o.optional("nounzip")) m.nounzip = n->boolean();
    o.finish();
    modules.push_back(std::move(m));
  }
  return modules;
}

LoadSpec parseLoadSpec(const JsonValue& item, const std::string& scenarioFile) {
  // Keys no type allows are reported first; finish() then rejects keys
  // another type allows ("cmdline" on a flat image).
  JsonObjectReader o =
      item.object({"type", "file", "symbols", "address", "cmdline", "modules", "info_address", "initrd"});
  LoadSpec l;
  l.type = o.required("type").choice<LoadType>({{"flat", LoadType::Flat},
                                                {"elf", LoadType::Elf},
                                                {"multiboot1", LoadType::Multiboot1},
                                                {"multiboot2", LoadType::Multiboot2},
                                                {"bzimage", LoadType::BzImage}});
  l.file = resolveInputFile(o.required("file"), scenarioFile);
  if (auto s = o.optional("symbols")) l.symbols = resolveInputFile(*s, scenarioFile);
  switch (l.type) {
    case LoadType::Flat:
      l.address = o.required("address").u64();
      break;
    case LoadType::Elf:
      break;
    case LoadType::Multiboot1:
    case LoadType::Multiboot2:
      if (auto c = o.optional("cmdline")) l.cmdline = c->string(0, kMaxCmdline);
      if (auto m = o.optional("modules")) l.modules = parseModules(*m, scenarioFile);
      // The boot information address is handed over in EBX: 32 bits.
      if (auto a = o.optional("info_address")) l.infoAddress = a->u64(0, 0xffffffff);
      break;
    case LoadType::BzImage:
      if (auto c = o.optional("cmdline")) l.cmdline = c->string(0, kMaxCmdline);
      if (auto i = o.optional("initrd")) l.initrd = resolveInputFile(*i, scenarioFile);
      break;
  }
  o.finish();
  return l;
}

}  // namespace

std::vector<LoadSpec> parseLoadSpecs(const JsonValue& load, const std::string& scenarioFile) {
  std::vector<LoadSpec> out;
  for (const JsonValue& item : load.array(1, 16)) out.push_back(parseLoadSpec(item, scenarioFile));
  return out;
}

}  // namespace dlsim
