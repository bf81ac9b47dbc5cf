#include "txt_model/mle/mle_header.h"

#include <algorithm>

#include "sim/hex.h"
#include "sim/le_reader.h"
#include "sim/loaders/byte_io.h"
#include "txt_model/heap/heap_render.h"

namespace dlsim::txt::mle {
namespace {

// A field the given bytes do not reach reads 0 (the caller judges the length).
uint32_t field32(const LeReader& r, uint64_t o, const char* field) { return r.has(o, 4) ? r.u32(o, field) : 0; }

constexpr uint32_t kWakeBits = 0x3;         // GETSEC[WAKEUP], MONITOR
constexpr uint32_t kTcgLogBit = 1u << 9;

std::string versionText(uint32_t v) { return std::to_string(v >> 16) + "." + std::to_string(v & 0xFFFF); }

}  // namespace

uint32_t mleHeaderFieldsSize(uint32_t version) {
  if (version < 0x20000) return 0x28;
  if (version == 0x20000) return 0x2C;
  return 0x34;
}

std::optional<MleHeader> parseMleHeader(std::span<const uint8_t> bytes) {
  if (bytes.size() < 0x18) return std::nullopt;
  const LeReader r(bytes, "MLE header");
  MleHeader h;
  std::copy(bytes.begin(), bytes.begin() + 16, h.uuid.begin());
  h.length = field32(r, 0x10, "length");
  h.version = field32(r, 0x14, "version");
  h.entryPoint = field32(r, 0x18, "entryPoint");
  h.firstValidPage = field32(r, 0x1C, "firstValidPage");
  h.mleStartOffset = field32(r, 0x20, "mleStartOffset");
  h.mleEndOffset = field32(r, 0x24, "mleEndOffset");
  if (h.version >= 0x20000) h.capabilities = field32(r, 0x28, "capabilities");
  if (h.version >= 0x20001) {
    h.cmdlineStartOffset = field32(r, 0x2C, "cmdlineStartOffset");
    h.cmdlineEndOffset = field32(r, 0x30, "cmdlineEndOffset");
  }
  return h;
}

std::vector<uint8_t> encodeMleHeader(const MleHeader& h) {
  ByteBuffer b;
  b.putBytes(0, h.uuid);
  b.put32(0x10, h.length);
  b.put32(0x14, h.version);
  b.put32(0x18, h.entryPoint);
  b.put32(0x1C, h.firstValidPage);
  b.put32(0x20, h.mleStartOffset);
  b.put32(0x24, h.mleEndOffset);
  b.put32(0x28, h.capabilities);
  b.put32(0x2C, h.cmdlineStartOffset);
  b.put32(0x30, h.cmdlineEndOffset);
  return b.data();
}

std::vector<MleFailure> validateMleHeader(const MleHeader& h, const MleHeaderPolicy& p) {
  std::vector<MleFailure> out;
  auto fail = [&](MleRule r, std::string d) { out.push_back({r, std::move(d)}); };
  if (h.uuid != kMleHeaderUuid) {
    fail(MleRule::kBadUuid, "UUID " + hexBytes(h.uuid.data(), h.uuid.size()));
    return out;  // not an MLE header: its other fields mean nothing
  }
  if (h.version < p.minVersion || (h.version >> 16) > 2)
    fail(MleRule::kVersionUnsupported,
         "version " + versionText(h.version) + " (" + hex(h.version) + "); the SINIT takes " +
             versionText(p.minVersion) + " to 2.x");
  uint32_t need = mleHeaderFieldsSize(h.version);
  if (h.length < need)
    fail(MleRule::kLengthTooSmall, "HeaderLen " + hex(h.length) + " below the " + hex(need) + " bytes of version " +
                                       versionText(h.version));
  uint64_t len = std::max<uint64_t>(h.length, need);
  if (p.headerBase >= p.mleSize || p.mleSize - p.headerBase < len)
    fail(MleRule::kHeaderOutsideMle,
         "header [" + hex(p.headerBase) + ", +" + hex(len) + ") not inside the MLE (" + hex(p.mleSize) + " bytes)");
  if (h.firstValidPage != 0)
    fail(MleRule::kFirstValidPageNotZero,
         "FirstValidPage " + hex(h.firstValidPage) + "; the MLE is measured from linear 0, its first page");
  if (h.entryPoint >= p.mleSize)
    fail(MleRule::kEntryOutsideMle, "EntryPoint " + hex(h.entryPoint) + " beyond MLESize " + hex(p.mleSize));
  if (h.mleEndOffset < h.mleStartOffset || uint64_t(h.mleEndOffset - h.mleStartOffset) != p.mleSize)
    fail(MleRule::kSizeMismatch, "MleEndOffset " + hex(h.mleEndOffset) + " - MleStartOffset " +
                                     hex(h.mleStartOffset) + " differs from MLESize " + hex(p.mleSize));
  if (h.version >= 0x20000) {
    uint32_t wanted = p.osSinitCapabilities & (kWakeBits | kTcgLogBit);
    if ((wanted & ~h.capabilities) != 0)
      fail(MleRule::kCapabilityNotInHeader, "OsSinitData selects " + hex(wanted) + " (" + mleCapabilityNames(wanted) +
                                                "); the MLE header declares " + hex(h.capabilities));
  }
  if (h.version >= 0x20001 && h.cmdlineStartOffset > h.cmdlineEndOffset)
    fail(MleRule::kCmdlineWindowInvalid,
         "CmdlineStartOffset " + hex(h.cmdlineStartOffset) + " after CmdlineEndOffset " + hex(h.cmdlineEndOffset));
  return out;
}

std::string mleCapabilityNames(uint32_t c) { return heap::capabilityNames(c); }

}  // namespace dlsim::txt::mle
