#include "txt_model/heap/heap_build.h"

#include "sim/loaders/byte_io.h"
#include "txt_model/heap/heap_elements.h"

namespace dlsim::txt::heap {
namespace {

constexpr uint64_t kSizeField = 8;

// Sets the u64 size field at 0 to the buffer's length.
std::vector<uint8_t> finish(ByteBuffer& b) {
  b.put64(0, b.size());
  return b.data();
}

}  // namespace

std::vector<uint8_t> buildBiosData(const BiosData& bd) {
  ByteBuffer b;
  b.put64(0, 0);
  const uint64_t t = kSizeField;
  b.put32(t + 0x00, bd.version);
  b.put32(t + 0x04, bd.biosSinitSize);
  b.put64(t + 0x08, bd.lcpPdBase);
  b.put64(t + 0x10, bd.lcpPdSize);
  b.put32(t + 0x18, bd.numLogicalProcs);
  if (bd.version >= 3) {
    b.put32(t + 0x1C, bd.sinitFlags);
    b.put32(t + 0x20, bd.mleFlags);
  }
  if (bd.version >= 4) b.putBytes(t + biosDataFixedSize(bd.version), encodeElements(bd.elements));
  return finish(b);
}

std::vector<uint8_t> buildOsMleData(std::span<const uint8_t> body) {
  ByteBuffer b;
  b.put64(0, 0);
  b.putBytes(kSizeField, body);
  return finish(b);
}

std::vector<uint8_t> buildOsSinitData(const OsSinitData& o) {
  ByteBuffer b;
  b.put64(0, 0);
  const uint64_t t = kSizeField;
  b.put32(t + 0x00, o.version);
  b.put32(t + 0x04, o.flags);
  b.put64(t + 0x08, o.mlePageTableBase);
  b.put64(t + 0x10, o.mleSize);
  b.put64(t + 0x18, o.mleHeaderBase);
  b.put64(t + 0x20, o.pmrLowBase);
  b.put64(t + 0x28, o.pmrLowSize);
  b.put64(t + 0x30, o.pmrHighBase);
  b.put64(t + 0x38, o.pmrHighSize);
  b.put64(t + 0x40, o.lcpPoBase);
  b.put64(t + 0x48, o.lcpPoSize);
  b.put32(t + 0x50, o.capabilities);
  if (o.version >= 5) b.put64(t + 0x54, o.rsdp);
  if (o.version >= 6) b.putBytes(t + osSinitDataFixedSize(o.version), encodeElements(o.elements));
  return finish(b);
}

std::vector<uint8_t> buildSinitMleData(const SinitMleData& s) {
  ByteBuffer b;
  b.put64(0, 0);
  const uint64_t t = kSizeField;
  b.put32(t + 0x00, s.version);
  if (s.version < 9) {
    b.putBytes(t + 0x04, s.biosAcmId);
    b.put32(t + 0x18, s.edxSenterFlags);
    b.put64(t + 0x1C, s.msegValid);
    b.putBytes(t + 0x24, s.sinitHash);
    b.putBytes(t + 0x38, s.mleHash);
    b.putBytes(t + 0x4C, s.stmHash);
    b.putBytes(t + 0x60, s.lcpPolicyHash);
    b.put32(t + 0x74, s.lcpPolicyControl);
  }
  b.put32(t + 0x78, s.rlpWakeupAddr);
  b.put32(t + 0x7C, s.reserved);
  uint64_t fixed = sinitMleDataFixedSize(s.version);
  if (s.version >= 8) b.put32(t + 0x90, s.processorScrtmStatus);
  uint64_t pos = t + fixed;
  if (b.size() < pos) b.data().resize(pos, 0);  // the fixed part in full, even when its tail is zero
  if (s.version >= 9) {
    auto el = encodeElements(s.elements);
    b.putBytes(pos, el);
    pos += el.size();
  }
  pos = alignUp(pos, 8);
  uint64_t mdrOffset = pos;
  for (const auto& m : s.mdrs) {
    b.put64(pos, m.base);
    b.put64(pos + 8, m.length);
    b.put64(pos + 16, m.type);  // the type byte and 7 reserved zero bytes
    pos += 24;
  }
  uint64_t dmarOffset = pos;
  b.putBytes(pos, s.dmar);
  pos += s.dmar.size();
  b.put32(t + 0x80, static_cast<uint32_t>(s.mdrs.size()));
  b.put32(t + 0x84, static_cast<uint32_t>(mdrOffset));
  b.put32(t + 0x88, static_cast<uint32_t>(s.dmar.size()));
  b.put32(t + 0x8C, static_cast<uint32_t>(dmarOffset));
  b.data().resize(pos, 0);
  return finish(b);
}

std::vector<uint8_t> buildTxtHeap(const BiosData& bios, std::span<const uint8_t> osMleBody, const OsSinitData& osSinit,
                                  const std::optional<SinitMleData>& sinitMle) {
  std::vector<uint8_t> out = buildBiosData(bios);
  auto append = [&](const std::vector<uint8_t>& v) { out.insert(out.end(), v.begin(), v.end()); };
  append(buildOsMleData(osMleBody));
  append(buildOsSinitData(osSinit));
  if (sinitMle) append(buildSinitMleData(*sinitMle));
  return out;
}

}  // namespace dlsim::txt::heap
