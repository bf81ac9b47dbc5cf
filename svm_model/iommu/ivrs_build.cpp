// Building an IVRS table (see ivrs.h).
#include "sim/errors.h"
#include "svm_model/iommu/ivrs.h"

namespace dlsim::svm {

namespace {

void put(std::vector<uint8_t>& b, uint64_t v, unsigned len) {
  for (unsigned i = 0; i < len; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

std::vector<uint8_t> buildIvrs(const IvrsTable& t) {
  SdtWriter w("IVRS", t.revision, t.ids);
  w.put32(t.ivInfo);
  w.zeros(8);
  for (const Ivhd& h : t.ivhds) {
    std::vector<uint8_t> b;
    put(b, kIvhdType10, 1);
    put(b, h.flags, 1);
    put(b, kIvhdFixedSize + 4 * h.entries.size(), 2);
    put(b, h.deviceId, 2);
    put(b, h.capOffset, 2);
    put(b, h.mmioBase, 8);
    put(b, h.segment, 2);
    put(b, h.info, 2);
    put(b, h.features, 4);
    for (const IvhdEntry& e : h.entries) {
      if (e.type == 0 || e.type >= 0x40) throw InternalError("IVRS: device entry type " + std::to_string(e.type) +
                                                               " is not a 4-byte entry");
      put(b, e.type, 1);
      put(b, e.deviceId, 2);
      put(b, e.data, 1);
    }
    if (b.size() > 0xFFFF) throw InternalError("IVRS: IVHD longer than 0xffff bytes");
    w.putBytes(b);
  }
  for (const Ivmd& m : t.ivmds) {
    std::vector<uint8_t> b;
    put(b, m.type, 1);
    put(b, m.flags, 1);
    put(b, kIvmdSize, 2);
    put(b, m.deviceId, 2);
    put(b, m.auxData, 2);
    put(b, 0, 8);
    put(b, m.start, 8);
    put(b, m.length, 8);
    w.putBytes(b);
  }
  return w.finish();
}

std::vector<uint8_t> buildIvrsForIommu(uint64_t mmioBase, uint16_t firstDevice, uint16_t lastDevice,
                                       const AcpiIds& ids) {
  if (firstDevice > lastDevice) throw InternalError("buildIvrsForIommu: first device after last");
  IvrsTable t;
  t.ids = ids;
  Ivhd h;
  h.mmioBase = mmioBase;
  h.entries = {{kIvhdEntryRangeStart, firstDevice, 0}, {kIvhdEntryRangeEnd, lastDevice, 0}};
  t.ivhds.push_back(h);
  return buildIvrs(t);
}

}  // namespace dlsim::svm
