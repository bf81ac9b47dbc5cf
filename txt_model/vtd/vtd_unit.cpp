#include "txt_model/vtd/vtd_unit.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "sim/codec/state_codec.h"
#include "sim/hex.h"
#include "txt_model/vtd/vtd_registers.h"

namespace dlsim::txt {

using namespace vtd;

namespace {

constexpr uint32_t kStateTag = 0x56544430;  // "VTD0"
constexpr uint8_t kStateVersion = 1;
// The commands whose bit software keeps set while it wants them on; the rest
// (kGcmdOneShot) act when written as 1.
constexpr uint32_t kGcmdPersistent = kGcmdTe | kGcmdEafl | kGcmdQie | kGcmdIre | kGcmdCfi;
constexpr uint32_t kFstsRw1c = 0x71;    // PFO, IQE, ICE, ITE
constexpr uint64_t kIqtMask = 0x7fff0;  // IQT_REG QT [18:4]
constexpr uint32_t kIcsIwc = 1;         // ICS_REG invalidation wait completion (RW1C)

uint64_t withDword(uint64_t v, bool upper, uint32_t d) {
  return upper ? (v & 0xffffffffull) | (uint64_t(d) << 32) : (v & ~0xffffffffull) | d;
}
uint32_t dwordOf(uint64_t v, bool upper) { return static_cast<uint32_t>(upper ? v >> 32 : v); }

}  // namespace

uint32_t VtdUnit::LaggedStatus::read() {
  if (shown != target) {
    if (lag > 0)
      --lag;
    else
      shown = target;
  }
  return shown;
}

void VtdUnit::LaggedStatus::set(uint32_t value, uint32_t lagReads) {
  target = value;
  lag = lagReads;
  if (lag == 0) shown = target;
}

VtdUnit::VtdUnit(VtdUnitConfig config) : config_(std::move(config)) {
  froOffset_ = ((config_.cap >> kCapFroShift) & 0x3ff) * 16;
  nfr_ = ((config_.cap >> kCapNfrShift) & 0xff) + 1;
  iotlbOffset_ = ((config_.ecap >> kEcapIroShift) & 0x3ff) * 16;
  reset();
}

void VtdUnit::reset() {
  gsts_ = {};
  prs_ = {};
  epm_ = false;
  rtaddr_ = ccmd_ = aflog_ = 0;
  fsts_ = fedata_ = feaddr_ = feuaddr_ = 0;
  fectl_ = kFectlIm;
  plmbase_ = plmlimit_ = 0;
  phmbase_ = phmlimit_ = 0;
  iqh_ = iqt_ = iqa_ = irta_ = 0;
  ics_ = iedata_ = ieaddr_ = ieuaddr_ = 0;
  iectl_ = kFectlIm;
  iva_ = iotlb_ = 0;
  pmrLocked_ = false;
}

bool VtdUnit::hasPlmr() const { return (config_.cap & kCapPlmr) != 0; }
bool VtdUnit::hasPhmr() const { return (config_.cap & kCapPhmr) != 0; }

uint64_t VtdUnit::highMask() const {
  const uint64_t width = config_.hostAddressWidth >= 64 ? ~0ull : (1ull << config_.hostAddressWidth) - 1;
  return width & ~lowBits();
}

void VtdUnit::violation(const std::string& what) {
  if (violations_.size() < 100) violations_.push_back(config_.name + ": " + what);
}

bool VtdUnit::inScope(uint32_t requesterId) const {
  return config_.scope.empty() ||
         std::find(config_.scope.begin(), config_.scope.end(), requesterId) != config_.scope.end();
}

// Limit below base disables a region; equal programmed bits give one
// aligned block (VT-d spec, PLMLIMIT_REG: the limit's reserved bits decode
// as all ones, the base's as zeros).
std::optional<VtdPmrRange> VtdUnit::lowRegion() const {
  if (!hasPlmr() || !pmrEnabled() || plmlimit_ < plmbase_) return std::nullopt;
  return VtdPmrRange{plmbase_, plmlimit_ | lowBits()};
}

std::optional<VtdPmrRange> VtdUnit::highRegion() const {
  if (!hasPhmr() || !pmrEnabled() || phmlimit_ < phmbase_) return std::nullopt;
  return VtdPmrRange{phmbase_, phmlimit_ | lowBits()};
}

// ---- register accesses --------------------------------------------------------

uint64_t VtdUnit::read(const AccessContext&, uint64_t offset, unsigned size) {
  if ((size != 4 && size != 8) || offset % size != 0 || offset + size > kRegisterPage) {
    violation(std::to_string(size) + "-byte read at offset " + hex(offset) +
              ": the registers take aligned 4- and 8-byte accesses (VT-d spec 10.2); read all ones");
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
  }
  const uint64_t lo = readDword(offset);
  return size == 4 ? lo : lo | (uint64_t(readDword(offset + 4)) << 32);
}

void VtdUnit::write(const AccessContext&, uint64_t offset, unsigned size, uint64_t value) {
  if ((size != 4 && size != 8) || offset % size != 0 || offset + size > kRegisterPage) {
    violation(std::to_string(size) + "-byte write of " + hex(value) + " at offset " + hex(offset) +
              ": the registers take aligned 4- and 8-byte accesses (VT-d spec 10.2); dropped");
    return;
  }
  writeDword(offset, static_cast<uint32_t>(value));
  if (size == 8) writeDword(offset + 4, static_cast<uint32_t>(value >> 32));
}

uint32_t VtdUnit::readDword(uint64_t off) {
  const bool upper = off % 8 == 4;
  switch (off & ~7ull) {
    case kCap: return dwordOf(config_.cap, upper);
    case kEcap: return dwordOf(config_.ecap, upper);
    case kRtaddr: return dwordOf(rtaddr_, upper);
    case kCcmd: return dwordOf(ccmd_, upper);
    case kAflog: return dwordOf(aflog_, upper);
    case kPhmbase: return dwordOf(phmbase_, upper);
    case kPhmlimit: return dwordOf(phmlimit_, upper);
    case kIqh: return dwordOf(iqh_, upper);
    case kIqt: return dwordOf(iqt_, upper);
    case kIqa: return dwordOf(iqa_, upper);
    case kIrta: return dwordOf(irta_, upper);
    default: break;
  }
  switch (off) {
    case kVer: return config_.version;
    case kGcmd: return 0;  // write-only
    case kGsts: return gsts_.read();
    case kFsts: return fsts_;
    case kFectl: return fectl_;
    case kFedata: return fedata_;
    case kFeaddr: return feaddr_;
    case kFeuaddr: return feuaddr_;
    case kPmen: return (epm_ ? kPmenEpm : 0) | prs_.read();
    case kPlmbase: return plmbase_;
    case kPlmlimit: return plmlimit_;
    case kIcs: return ics_;
    case kIectl: return iectl_;
    case kIedata: return iedata_;
    case kIeaddr: return ieaddr_;
    case kIeuaddr: return ieuaddr_;
    default: break;
  }
  if (iotlbOffset_ && (off & ~7ull) == iotlbOffset_) return dwordOf(iva_, upper);
  if (iotlbOffset_ && (off & ~7ull) == iotlbOffset_ + 8) return dwordOf(iotlb_, upper);
  return 0;  // fault-recording registers (no fault is ever recorded), reserved space
}

void VtdUnit::writeDword(uint64_t off, uint32_t v) {
  const bool upper = off % 8 == 4;
  switch (off & ~7ull) {
    case kRtaddr:
      rtaddr_ = withDword(rtaddr_, upper, upper ? v : v & ~0xfffu);
      return;
    case kCcmd:
      ccmd_ = withDword(ccmd_, upper, v);
      // The invalidation completes at once: ICC clears and the actual
      // granularity is the one asked for.
      if (upper && (ccmd_ & kCcmdIcc)) {
        const uint64_t cirg = (ccmd_ >> kCcmdCirgShift) & 3;
        ccmd_ = (ccmd_ & ~(kCcmdIcc | (3ull << kCcmdCaigShift))) | (cirg << kCcmdCaigShift);
      }
      return;
    case kAflog:
      aflog_ = withDword(aflog_, upper, upper ? v : v & ~0xfffu);
      return;
    case kPhmbase:
    case kPhmlimit:
      writePmrDword(off, v);
      return;
    case kIqt:
      iqt_ = withDword(iqt_, upper, v) & kIqtMask;
      // Descriptors are taken at once (their effects are not modelled).
      if (gsts_.target & kGcmdQie) iqh_ = iqt_;
      return;
    case kIqa:
      iqa_ = withDword(iqa_, upper, upper ? v : v & ~0xff8u);
      return;
    case kIrta:
      irta_ = withDword(irta_, upper, upper ? v : v & ~0x7f0u);
      return;
    case kCap:
    case kEcap:
    case kIqh:
      return;  // read-only
    default:
      break;
  }
  switch (off) {
    case kGcmd: writeGcmd(v); return;
    case kFsts: fsts_ &= ~(v & kFstsRw1c); return;
    case kFectl: fectl_ = v & kFectlIm; return;
    case kFedata: fedata_ = v & 0xffff; return;
    case kFeaddr: feaddr_ = v & ~3u; return;
    case kFeuaddr: feuaddr_ = v; return;
    case kPmen: writePmen(v); return;
    case kPlmbase:
    case kPlmlimit: writePmrDword(off, v); return;
    case kIcs: ics_ &= ~(v & kIcsIwc); return;
    case kIectl: iectl_ = v & kFectlIm; return;
    case kIedata: iedata_ = v & 0xffff; return;
    case kIeaddr: ieaddr_ = v & ~3u; return;
    case kIeuaddr: ieuaddr_ = v; return;
    default: break;
  }
  if (iotlbOffset_ && (off & ~7ull) == iotlbOffset_) {
    iva_ = withDword(iva_, upper, v);
  } else if (iotlbOffset_ && (off & ~7ull) == iotlbOffset_ + 8) {
    iotlb_ = withDword(iotlb_, upper, v);
    if (upper && (iotlb_ & kIotlbIvt)) {  // done at once, as asked
      const uint64_t iirg = (iotlb_ >> kIotlbIirgShift) & 3;
      iotlb_ = (iotlb_ & ~(kIotlbIvt | (3ull << kIotlbIaigShift))) | (iirg << kIotlbIaigShift);
    }
  }
  // VER, GSTS, fault-recording registers, reserved space: writes ignored.
}

// GCMD_REG: software writes the status it read (one-shot bits cleared) with
// one command changed; each write may change only one command, and the next
// only after GSTS shows the last one done (VT-d spec, GCMD_REG).
void VtdUnit::writeGcmd(uint32_t v) {
  uint32_t persistent = kGcmdPersistent;
  uint32_t oneShot = kGcmdOneShot;
  if (!(config_.cap & kCapRwbf)) oneShot &= ~kGcmdWbf;  // WBF is reserved without CAP.RWBF
  if (!(config_.cap & (1ull << 3))) persistent &= ~kGcmdEafl;  // EAFL needs CAP.AFL
  const uint32_t changes = ((v ^ gsts_.target) & persistent) | (v & oneShot);
  if (changes == 0) return;
  if (std::popcount(changes) > 1)
    violation("GCMD write " + hex(v) + " changes " + std::to_string(std::popcount(changes)) +
              " commands at once; the VT-d spec allows one per write (GCMD_REG)");
  if (gsts_.pending())
    violation("GCMD write " + hex(v) + " before GSTS showed the previous command done");
  uint32_t status = (gsts_.target & ~persistent) | (v & persistent);
  if (changes & kGcmdSrtp) status |= kGcmdSrtp;    // RTPS: root-table pointer latched
  if (changes & kGcmdSfl) status |= kGcmdSfl;      // FLS: fault log pointer latched
  if (changes & kGcmdSirtp) status |= kGcmdSirtp;  // IRTPS: interrupt remap table pointer latched
  status &= ~kGcmdWbf;                             // WBFS: the flush is over when the status shows
  if (changes & kGcmdQie) iqh_ = 0;                // queue head back to 0 (tboot's vtd_disable_qie relies on it)
  gsts_.set(status, config_.statusLagReads);
}

// PMEN_REG: EPM as written; PRS follows after statusLagReads reads.
void VtdUnit::writePmen(uint32_t v) {
  if (!hasPlmr() && !hasPhmr()) return;  // read-only without PMRs
  const bool epm = (v & kPmenEpm) != 0;
  if (prs_.pending())
    violation("PMEN write " + hex(v) + " before PRS showed the previous change done (PMEN_REG)");
  epm_ = epm;
  prs_.set(epm ? 1 : 0, config_.statusLagReads);
}

void VtdUnit::writePmrDword(uint64_t off, uint32_t v) {
  const bool low = off == kPlmbase || off == kPlmlimit;
  if (low ? !hasPlmr() : !hasPhmr()) return;  // read-only when not implemented
  if (pmrLocked_) return;                      // TXT CMD.LOCK_PMRC: read-only
  static const char* const kNames[] = {"PLMBASE", "PLMLIMIT", "PHMBASE", "PHMLIMIT"};
  const char* name = kNames[off == kPlmbase ? 0 : off == kPlmlimit ? 1 : (off & ~7ull) == kPhmbase ? 2 : 3];
  if (prs_.shown || prs_.target) {
    violation(std::string(name) + " write " + hex(v) +
              " while the protected memory regions are enabled (PMEN.PRS); the VT-d spec forbids it: ignored");
    return;
  }
  switch (off) {
    case kPlmbase: plmbase_ = v & static_cast<uint32_t>(~lowBits()); return;
    case kPlmlimit: plmlimit_ = v & static_cast<uint32_t>(~lowBits()); return;
    default: break;
  }
  uint64_t& reg = (off & ~7ull) == kPhmbase ? phmbase_ : phmlimit_;
  reg = withDword(reg, off % 8 == 4, v) & highMask();
}

// ---- snapshots ---------------------------------------------------------------

std::vector<uint8_t> VtdUnit::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  for (const LaggedStatus* s : {&gsts_, &prs_}) {
    w.u32(s->shown);
    w.u32(s->target);
    w.u32(s->lag);
  }
  w.flag(epm_);
  w.flag(pmrLocked_);
  for (uint64_t q : {rtaddr_, ccmd_, aflog_, phmbase_, phmlimit_, iqh_, iqt_, iqa_, irta_, iva_, iotlb_}) w.u64(q);
  for (uint32_t d : {fsts_, fectl_, fedata_, feaddr_, feuaddr_, plmbase_, plmlimit_, ics_, iectl_, iedata_, ieaddr_,
                     ieuaddr_})
    w.u32(d);
  return w.take();
}

void VtdUnit::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "VT-d unit " + config_.name);
  r.expectHeader(kStateTag, kStateVersion);
  for (LaggedStatus* s : {&gsts_, &prs_}) {
    s->shown = r.u32("status shown");
    s->target = r.u32("status target");
    s->lag = r.u32("status lag");
  }
  epm_ = r.flag("epm");
  pmrLocked_ = r.flag("pmr lock");
  for (uint64_t* q : {&rtaddr_, &ccmd_, &aflog_, &phmbase_, &phmlimit_, &iqh_, &iqt_, &iqa_, &irta_, &iva_, &iotlb_})
    *q = r.u64("register");
  for (uint32_t* d : {&fsts_, &fectl_, &fedata_, &feaddr_, &feuaddr_, &plmbase_, &plmlimit_, &ics_, &iectl_, &iedata_,
                      &ieaddr_, &ieuaddr_})
    *d = r.u32("register");
  r.expectEnd();
}

}  // namespace dlsim::txt
