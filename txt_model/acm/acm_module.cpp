// Bounded parsing of the ACM information table and its lists (acm_module.h).
#include "txt_model/acm/acm_module.h"

#include "sim/hex.h"
#include "sim/le_reader.h"

namespace dlsim::txt {
namespace {

// A list header at `off`: its count, checked so that count entries of
// `entrySize` bytes after `headerSize` bytes lie inside the module.
uint32_t listCount(const LeReader& r, uint64_t off, uint64_t headerSize, uint64_t entrySize, const std::string& list,
                   uint64_t countFieldSize) {
  uint32_t count = countFieldSize == 2 ? r.u16(off + 4, list + ".count") : r.u32(off, list + ".count");
  uint64_t end = off + headerSize + uint64_t{count} * entrySize;
  if (end > r.size())
    r.fail(list + " at " + hex(off) + ": " + std::to_string(count) + " entries of " + std::to_string(entrySize) +
           " bytes end at " + hex(end) + ", beyond the module (Size*4 = " + hex(r.size()) + ")");
  return count;
}

}  // namespace

AcmModule parseAcmModule(std::span<const uint8_t> bytes, const std::string& source) {
  AcmModule m;
  m.header = parseAcmHeader(bytes, source);
  // Everything the module holds lies in its first Size*4 bytes.
  LeReader r(bytes.subspan(0, m.header.sizeBytes()), source);
  const uint64_t t = m.header.userAreaOffset();
  auto uuid = r.bytes(t, 16, "info table UUID (at (HeaderLen+ScratchSize)*4)");
  std::copy(uuid.begin(), uuid.end(), m.info.uuid.begin());
  AcmInfoTable& i = m.info;
  i.chipsetAcmType = r.u8(t + 0x10, "info table ChipsetACMType");
  i.version = r.u8(t + 0x11, "info table Version");
  i.length = r.u16(t + 0x12, "info table Length");
  i.chipsetIdList = r.u32(t + 0x14, "info table ChipsetIDList");
  i.osSinitDataVersion = r.u32(t + 0x18, "info table OsSinitDataVer");
  i.minMleHeaderVersion = r.u32(t + 0x1C, "info table MinMleHeaderVer");
  i.capabilities = r.u32(t + 0x20, "info table Capabilities");
  i.acmVersion = r.u8(t + 0x24, "info table AcmVersion");
  for (unsigned k = 0; k < 3; ++k) i.acmRevision[k] = r.u8(t + 0x25 + k, "info table AcmRevision");
  if (i.version >= 4) i.processorIdList = r.u32(t + 0x28, "info table ProcessorIDList");
  if (i.version >= 5) i.tpmInfoList = r.u32(t + 0x2C, "info table TPMInfoList");

  uint32_t n = listCount(r, i.chipsetIdList, 4, kAcmChipsetIdSize, "ChipsetIDList", 4);
  for (uint32_t k = 0; k < n; ++k) {
    uint64_t e = uint64_t{i.chipsetIdList} + 4 + uint64_t{k} * kAcmChipsetIdSize;
    std::string f = "ChipsetIDList entry " + std::to_string(k);
    m.chipsetIds.push_back({r.u32(e, f + " Flags"), r.u16(e + 4, f + " VendorID"), r.u16(e + 6, f + " DeviceID"),
                            r.u16(e + 8, f + " RevisionID"), r.u32(e + 12, f + " ExtendedID")});
  }
  if (i.version >= 4) {
    n = listCount(r, i.processorIdList, 4, kAcmProcessorIdSize, "ProcessorIDList", 4);
    for (uint32_t k = 0; k < n; ++k) {
      uint64_t e = uint64_t{i.processorIdList} + 4 + uint64_t{k} * kAcmProcessorIdSize;
      std::string f = "ProcessorIDList entry " + std::to_string(k);
      m.processorIds.push_back({r.u32(e, f + " FMS"), r.u32(e + 4, f + " FMSMask"), r.u64(e + 8, f + " PlatformID"),
                                r.u64(e + 16, f + " PlatformMask")});
    }
  }
  if (i.version >= 5) {
    AcmTpmInfo tpm;
    tpm.capabilities = r.u32(i.tpmInfoList, "TPMInfoList.capabilities");
    n = listCount(r, i.tpmInfoList, 6, 2, "TPMInfoList", 2);
    for (uint32_t k = 0; k < n; ++k)
      tpm.algorithms.push_back(r.u16(uint64_t{i.tpmInfoList} + 6 + 2 * uint64_t{k}, "TPMInfoList algorithm"));
    m.tpmInfo = std::move(tpm);
  }
  return m;
}

}  // namespace dlsim::txt
