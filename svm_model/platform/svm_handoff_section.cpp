// The "handoff" member of the "svm" section (see svm_handoff_section.h).
#include "svm_model/platform/svm_handoff_section.h"

#include <fstream>
#include <iterator>

#include "sim/errors.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "sim/scenario/input_path.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {

namespace {

std::vector<uint8_t> readImage(const JsonValue& v, std::string& path, size_t maxBytes) {
  path = resolveInputFile(v, v.file());
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) v.fail("cannot read " + path);
  if (bytes.empty()) v.fail(path + " is empty");
  if (bytes.size() > maxBytes) v.fail(path + " holds " + hex(bytes.size()) + " bytes, more than " + hex(maxBytes));
  return bytes;
}

// The layout named, or the one the image's header points at ("detect").
SklLayout readLayout(const std::optional<JsonValue>& v, const JsonValue& slb, const std::vector<uint8_t>& image) {
  std::string name = v ? v->string(1, 16) : "detect";
  if (name == "detect") {
    auto l = detectSklLayout(image);
    if (!l) (v ? *v : slb).fail("no SKL layout found in the image (no skl_info UUID at +4 or +0x42); name one in /layout");
    return *l;
  }
  auto l = sklLayoutFromName(name);
  if (!l) v->fail("\"" + name + "\" is not detect, tags2023, slrt2024 or slrt2025");
  return *l;
}

void readKernel(const JsonValue& v, SvmHandoffSpec& s) {
  JsonObjectReader o = v.object({"kind", "file", "base", "size", "entry_offset"});
  s.desc.kernel = o.required("kind").choice<KernelKind>({{"multiboot2", KernelKind::Multiboot2}, {"linux", KernelKind::Linux}});
  s.kernelImage = readImage(o.required("file"), s.kernelFile, 0x10000000);
  s.desc.kernelBase = o.required("base").u64(0, 0xFFFFFFFF);
  s.desc.kernelSize = s.kernelImage.size();
  if (auto sz = o.optional("size")) s.desc.kernelSize = sz->u64(1, 0xFFFFFFFF);
  s.desc.kernelEntryOffset = o.required("entry_offset").u64(0, 0xFFFFFFFF);
  o.finish();
}

void readEventLog(const JsonValue& v, HandoffDesc& d) {
  JsonObjectReader o = v.object({"base", "size", "format"});
  d.logBase = o.required("base").u64();
  d.logSize = o.required("size").u64();
  if (auto f = o.optional("format")) d.logFormat = uint16_t(f->integer(0, 0xFFFF));
  o.finish();
}

// Numbers for number fields, text for char[] fields; the builder names a
// field that does not exist or a value that does not fit.
std::vector<FieldOverride> readOverrides(const JsonValue& v, const Handoff& built) {
  if (!v.json().is_object()) v.fail("must be an object { \"<field name>\": value }");
  std::vector<FieldOverride> out;
  for (auto it = v.json().begin(); it != v.json().end(); ++it) {
    JsonValue f = v.at(it.key());
    FieldOverride o;
    o.field = it.key();
    o.where = f.file() + ": " + f.pointer();
    const BlockField* field = built.field(it.key());
    if (field && field->text)
      o.value = f.string(0, 4096);
    else
      o.value = f.u64();
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

SvmHandoffSpec parseSvmHandoff(const JsonValue& v) {
  JsonObjectReader o = v.object({"slb", "slb_base", "layout", "bootloader_data_offset", "kernel", "boot_params_base",
                                 "cmdline", "event_log", "tpm", "amd_info_size", "overrides"});
  SvmHandoffSpec s;
  s.desc.source = v.file();
  s.desc.pointer = v.pointer();
  const JsonValue slb = o.required("slb");
  s.slbImage = readImage(slb, s.slbFile, kSlbSize);
  s.desc.slbBase = o.required("slb_base").u64();
  s.desc.layout = readLayout(o.optional("layout"), slb, s.slbImage);
  const SklImage image = parseSklImage(s.slbImage, s.desc.layout, s.slbFile);
  s.desc.bootloaderDataOffset = image.bootloaderDataOffset;
  if (auto b = o.optional("bootloader_data_offset")) s.desc.bootloaderDataOffset = uint16_t(b->u64(1, 0xFFFF));
  readKernel(o.required("kernel"), s);
  s.desc.bootParamsBase = o.required("boot_params_base").u64();
  if (auto c = o.optional("cmdline")) s.desc.cmdline = c->string(0, 4095);
  readEventLog(o.required("event_log"), s.desc);
  if (auto t = o.optional("tpm")) s.desc.tpm = t->choice<TpmFamily>({{"tpm20", TpmFamily::Tpm20}, {"tpm12", TpmFamily::Tpm12}});
  if (auto a = o.optional("amd_info_size")) s.desc.amdInfoSize = uint32_t(a->integer(0, 0xFFFF));
  validateHandoffDesc(s.desc);
  auto overrides = o.optional("overrides");
  o.finish();
  s.handoff = buildHandoff(s.desc);
  if (overrides) {
    s.desc.overrides = readOverrides(*overrides, s.handoff);
    s.handoff = buildHandoff(s.desc);
  }
  return s;
}

void installSvmHandoff(ModelHost& host, const SvmHandoffSpec& s, const std::string& scenarioFile) {
  auto put = [&](const std::string& what, uint64_t address, const std::vector<uint8_t>& bytes) {
    if (!host.memory().write(address, bytes.data(), bytes.size()))
      throw InputError(scenarioFile + ": /svm/handoff: " + what + " [" + hex(address) + ", +" + hex(bytes.size()) +
                       ") is not in the machine's memory");
  };
  put("the SLB image (" + s.slbFile + ")", s.desc.slbBase, s.slbImage);
  put("the kernel (" + s.kernelFile + ")", s.desc.kernelBase, s.kernelImage);
  for (const HandoffWrite& w : s.handoff.writes()) put("the hand-off block " + w.block, w.address, w.bytes);
}

}  // namespace dlsim::svm
