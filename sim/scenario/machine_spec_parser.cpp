// The "machine" section: CPUs, CPUID overrides, RAM, e820 map and run limits.
#include "sim/scenario/machine_spec_parser.h"

#include <algorithm>

#include "sim/hex.h"

namespace dlsim {

namespace {

constexpr uint64_t kPage = 0x1000;

// Built by appending: GCC 12 -O3 gives a false -Wrestrict for `"[" + temporary`.
std::string range(uint64_t base, uint64_t size) {
  std::string out = "[";
  out += hex(base);
  out += ", ";
  out += hex(base + size);
  out += ")";
  return out;
}

// base + size - 1 must not wrap around the 64-bit address space.
void checkNoWrap(const JsonValue& where, uint64_t base, uint64_t size) {
  if (size != 0 && base + (size - 1) < base)
    where.fail("range at " + hex(base) + " of size " + hex(size) + " wraps past the end of the address space");
}

bool overlaps(uint64_t b1, uint64_t s1, uint64_t b2, uint64_t s2) {
  // Inclusive ends avoid overflow for ranges ending at 2^64.
  return b1 <= b2 + (s2 - 1) && b2 <= b1 + (s1 - 1);
}

CpuidSpec parseCpuid(const JsonValue& v) {
  CpuidSpec c;
  JsonObjectReader o = v.object({"family", "model", "stepping", "features"});
  if (auto f = o.optional("family")) c.family = static_cast<uint32_t>(f->integer(0, 0x10e));
  if (auto m = o.optional("model")) c.model = static_cast<uint32_t>(m->integer(0, 255));
  if (auto s = o.optional("stepping")) c.stepping = static_cast<uint32_t>(s->integer(0, 15));
  if (auto feats = o.optional("features")) {
    JsonObjectReader fo = feats->object({"add", "remove"});
    if (auto add = fo.optional("add"))
      for (const JsonValue& n : add->array()) c.featuresAdd.push_back(n.string(1));
    if (auto rem = fo.optional("remove"))
      for (const JsonValue& n : rem->array()) c.featuresRemove.push_back(n.string(1));
    fo.finish();
  }
  o.finish();
  return c;
}

std::vector<MemoryRegionSpec> parseMemory(const JsonValue& v) {
  std::vector<MemoryRegionSpec> regions;
  std::vector<JsonValue> items = v.array(1, 64);
  for (size_t i = 0; i < items.size(); ++i) {
    JsonObjectReader o = items[i].object({"base", "size", "name"});
    MemoryRegionSpec r;
    JsonValue base = o.required("base");
    r.base = base.u64();
    if (r.base % kPage) base.fail(describeJson(base.json()) + " is not page aligned (multiple of 0x1000)");
    JsonValue size = o.required("size");
    r.size = size.u64(1);
    if (r.size % kPage) size.fail(describeJson(size.json()) + " is not a multiple of the page size 0x1000");
    checkNoWrap(items[i], r.base, r.size);
    r.name = "ram" + std::to_string(i);
    std::optional<JsonValue> name = o.optional("name");
    if (name) r.name = name->string(1, 64);
    o.finish();
    for (size_t j = 0; j < regions.size(); ++j) {
      const MemoryRegionSpec& p = regions[j];
      if (overlaps(r.base, r.size, p.base, p.size))
        items[i].fail("region " + range(r.base, r.size) + " overlaps " + v.pointer() + "/" + std::to_string(j) +
                      " (\"" + p.name + "\" " + range(p.base, p.size) + ")");
      if (r.name == p.name)
        (name ? *name : items[i]).fail("region name \"" + r.name + "\" is already used by " + v.pointer() + "/" +
                                       std::to_string(j));
    }
    regions.push_back(r);
  }
  return regions;
}

E820Map parseE820(const JsonValue& v) {
  E820Map map;
  std::vector<JsonValue> items = v.array(1, 128);
  for (size_t i = 0; i < items.size(); ++i) {
    JsonObjectReader o = items[i].object({"addr", "size", "type"});
    E820Entry e;
    e.addr = o.required("addr").u64();
    e.size = o.required("size").u64(1);
    e.type = o.required("type").choice<E820Type>({{"ram", E820Type::Ram},
                                                  {"reserved", E820Type::Reserved},
                                                  {"acpi", E820Type::Acpi},
                                                  {"nvs", E820Type::Nvs},
                                                  {"unusable", E820Type::Unusable}});
    o.finish();
    checkNoWrap(items[i], e.addr, e.size);
    for (size_t j = 0; j < map.size(); ++j)
      if (overlaps(e.addr, e.size, map[j].addr, map[j].size))
        items[i].fail("entry " + range(e.addr, e.size) + " overlaps " + v.pointer() + "/" + std::to_string(j) + " " +
                      range(map[j].addr, map[j].size));
    map.push_back(e);
  }
  return map;
}

std::vector<MsrSettingSpec> parseMsrs(const JsonValue& v, int cpus) {
  std::vector<MsrSettingSpec> out;
  for (const JsonValue& item : v.array(0, 256)) {
    JsonObjectReader o = item.object({"msr", "value", "cpu"});
    MsrSettingSpec s;
    s.msr = static_cast<uint32_t>(o.required("msr").u64(0, 0xffffffff));
    s.value = o.required("value").u64();
    if (auto c = o.optional("cpu")) s.cpu = static_cast<int>(c->integer(0, cpus - 1));
    o.finish();
    out.push_back(s);
  }
  return out;
}

}  // namespace

MachineSpec parseMachineSpec(const JsonValue& machine) {
  MachineSpec m;
  JsonObjectReader o = machine.object(
      {"cpus", "vendor", "cpuid", "memory", "e820", "seed", "quantum_blocks", "max_instructions", "boot_gdt", "msrs"});
  if (auto v = o.optional("cpus")) m.cpus = static_cast<int>(v->integer(1, 64));
  if (auto v = o.optional("vendor")) m.vendor = v->choice<CpuVendor>({{"intel", CpuVendor::Intel}, {"amd", CpuVendor::Amd}});
  if (auto v = o.optional("cpuid")) m.cpuid = parseCpuid(*v);
  m.memory = parseMemory(o.required("memory"));
  if (auto v = o.optional("e820")) {
    m.e820 = parseE820(*v);
    m.e820Given = true;
  } else {
    for (const MemoryRegionSpec& r : m.memory) m.e820.push_back(E820Entry{r.base, r.size, E820Type::Ram});
    std::sort(m.e820.begin(), m.e820.end(), [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
  }
  if (auto v = o.optional("seed")) m.seed = v->u64();
  if (auto v = o.optional("quantum_blocks")) m.quantumBlocks = static_cast<uint32_t>(v->integer(1, 1000000));
  if (auto v = o.optional("max_instructions")) m.maxInstructions = v->u64(1);
  if (auto v = o.optional("boot_gdt")) m.bootGdt = v->u64(0, 0xffffffff);  // reachable from 32-bit code
  if (auto v = o.optional("msrs")) m.msrs = parseMsrs(*v, m.cpus);
  o.finish();
  return m;
}

}  // namespace dlsim
