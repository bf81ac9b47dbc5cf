// "txt.bios_data" (see txt_bios_data_spec.h).
#include "txt_model/platform/txt_bios_data_spec.h"

#include "sim/errors.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"

namespace dlsim::txt {

namespace {
constexpr uint64_t kU32 = 0xFFFFFFFFull;
}

BiosDataSpec parseBiosDataSpec(const JsonValue& v) {
  JsonObjectReader o = v.object({"version", "bios_sinit_size", "lcp_pd_base", "lcp_pd_size", "num_logical_processors",
                                 "sinit_flags", "mle_flags", "bios_spec_ver", "acm_addresses"});
  BiosDataSpec s;
  // Versions 2..6 are the ones SINIT and tboot accept (SDG C.2).
  if (auto x = o.optional("version")) s.version = static_cast<uint32_t>(x->integer(2, 6));
  if (auto x = o.optional("bios_sinit_size")) s.biosSinitSize = static_cast<uint32_t>(x->u64(0, kU32));
  if (auto x = o.optional("lcp_pd_base")) s.lcpPdBase = x->u64();
  if (auto x = o.optional("lcp_pd_size")) s.lcpPdSize = x->u64();
  // 0 is allowed: a broken BIOS table SINIT refuses (heap rule).
  if (auto x = o.optional("num_logical_processors")) s.numLogicalProcs = static_cast<uint32_t>(x->u64(0, kU32));
  auto needs = [&](const std::optional<JsonValue>& x, uint32_t min, const char* what) {
    if (x && s.version < min)
      x->fail(std::string(what) + " is in BiosData from version " + std::to_string(min) + " (\"version\" is " +
              std::to_string(s.version) + ")");
  };
  if (auto x = o.optional("sinit_flags")) {
    needs(x, 3, "SinitFlags");
    s.sinitFlags = static_cast<uint32_t>(x->u64(0, kU32));
  }
  if (auto x = o.optional("mle_flags")) {
    needs(x, 3, "MleFlags");
    s.mleFlags = static_cast<uint32_t>(x->u64(0, kU32));
  }
  if (auto x = o.optional("bios_spec_ver")) {
    needs(x, 4, "the extended data elements");
    JsonObjectReader b = x->object({"major", "minor", "revision"});
    heap::BiosSpecVer ver;
    ver.major = static_cast<uint16_t>(b.required("major").integer(0, 0xFFFF));
    ver.minor = static_cast<uint16_t>(b.required("minor").integer(0, 0xFFFF));
    if (auto r = b.optional("revision")) ver.revision = static_cast<uint16_t>(r->integer(0, 0xFFFF));
    b.finish();
    s.biosSpecVer = ver;
  }
  if (auto x = o.optional("acm_addresses")) {
    needs(x, 4, "the extended data elements");
    std::vector<uint64_t> a;
    for (const JsonValue& e : x->array(0, 64)) a.push_back(e.u64());
    s.acmAddresses = std::move(a);
  }
  o.finish();
  return s;
}

heap::BiosData biosDataOf(const BiosDataSpec& s, int cpuCount) {
  heap::BiosData b;
  b.version = s.version;
  b.biosSinitSize = s.biosSinitSize;
  b.lcpPdBase = s.lcpPdBase;
  b.lcpPdSize = s.lcpPdSize;
  b.numLogicalProcs = s.numLogicalProcs ? *s.numLogicalProcs : static_cast<uint32_t>(cpuCount);
  b.sinitFlags = s.sinitFlags;
  b.mleFlags = s.mleFlags;
  if (s.biosSpecVer) b.elements.push_back(heap::makeBiosSpecVer(*s.biosSpecVer));
  if (s.acmAddresses) b.elements.push_back(heap::makeAcm(heap::AcmAddresses{*s.acmAddresses}));
  return b;
}

void writeBiosData(GuestMemory& memory, const BiosDataSpec& s, int cpuCount, uint64_t heapBase, uint64_t heapSize,
                   const std::string& scenarioFile) {
  const std::vector<uint8_t> table = heap::buildBiosData(biosDataOf(s, cpuCount));
  const std::string where = scenarioFile + ": /txt/bios_data: ";
  if (table.size() > heapSize)
    throw InputError(where + "the table (" + std::to_string(table.size()) + " bytes) does not fit in TXT.HEAP.SIZE " +
                     hex(heapSize) + " (/txt/registers/heap_size)");
  if (!memory.write(heapBase, table.data(), table.size()))
    throw InputError(where + "TXT.HEAP.BASE " + hex(heapBase) + " (/txt/registers/heap_base) is not RAM for the " +
                     std::to_string(table.size()) + "-byte table");
}

}  // namespace dlsim::txt
