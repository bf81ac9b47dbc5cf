// Window decoding, locality gating, locality-4 indications and snapshots
// shared by the TIS and CRB models.
#include "tpm_model/interface/tpm_interface.h"

#include "sim/errors.h"

namespace dlsim::tpm {

namespace {
// 2: the engine's state follows the interface's. 3: command records keep
// the header's tag and whether the header arrived.
constexpr uint8_t kSnapshotVersion = 3;
// libtpms' permanent + volatile blobs are some 100 KiB; dlsim's state is
// small unless a guest fed megabytes to an open hash sequence.
constexpr uint64_t kMaxEngineState = uint64_t(1) << 32;
}

TpmInterface::TpmInterface(TpmEngine& engine, const TpmInterfaceOptions& options, std::string name)
    : engine_(engine), options_(options), runner_(engine), name_(std::move(name)), open_(options.openAtStart) {
  open_[0] = true;
}

// The chipset's rules (sim/tpm_locality_gate.h).
bool TpmInterface::reachable(const AccessContext& ctx, unsigned loc, DroppedAccess::Reason& why) const {
  const bool platform = ctx.requester == Requester::kPlatform;
  if (loc == 4) {
    why = DroppedAccess::Reason::kLocality4NotPlatform;
    return platform && ctx.locality == 4;
  }
  why = DroppedAccess::Reason::kLocalityClosed;
  if (loc == 0 || (platform && ctx.locality == int(loc))) return true;
  if (!platform && options_.gate && options_.gate->get()) return options_.gate->get()->forwards(ctx, loc);
  return open_[loc];
}

void TpmInterface::recordDrop(const DroppedAccess& d) {
  ++droppedCount_;
  if (dropped_.size() < kDroppedLimit) dropped_.push_back(d);
}

uint64_t TpmInterface::read(const AccessContext& ctx, uint64_t offset, unsigned size) {
  if (size == 0 || size > 8) return ~uint64_t(0);  // the bus never does this: no side effects
  uint64_t value = 0;
  bool dropped = false;
  DroppedAccess drop;
  for (unsigned i = 0; i < size; ++i) {
    uint64_t off = offset + i;
    uint8_t b = 0xFF;
    DroppedAccess::Reason why = DroppedAccess::Reason::kOutsideWindow;
    if (off < offset || off >= ptp::kWindowSize) {
      why = DroppedAccess::Reason::kOutsideWindow;
    } else if (reachable(ctx, unsigned(off / ptp::kLocalityStride), why)) {
      b = readByte(unsigned(off / ptp::kLocalityStride), uint32_t(off % ptp::kLocalityStride));
      value |= uint64_t(b) << (8 * i);
      continue;
    }
    value |= uint64_t(b) << (8 * i);
    if (!dropped) {
      dropped = true;
      drop.reason = why;
      drop.locality = uint8_t(off < ptp::kWindowSize ? off / ptp::kLocalityStride : 0xFF);
    }
  }
  if (dropped) {
    drop.write = false;
    drop.cpu = ctx.cpu;
    drop.offset = offset;
    drop.size = size;
    drop.value = 0;
    recordDrop(drop);
  }
  DroppedAccess::Reason why;
  if (offset < ptp::kWindowSize && reachable(ctx, unsigned(offset / ptp::kLocalityStride), why))
    afterRead(unsigned(offset / ptp::kLocalityStride), uint32_t(offset % ptp::kLocalityStride), size);
  return size == 8 ? value : value & ((uint64_t(1) << (8 * size)) - 1);
}

void TpmInterface::flushHashData(std::vector<uint8_t>& pending) {
  if (pending.empty()) return;
  engine_.hashData(pending);
  pending.clear();
}

void TpmInterface::write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) {
  if (size == 0 || size > 8) return;
  bool dropped = false;
  DroppedAccess drop;
  std::vector<uint8_t> hashBytes;
  for (unsigned i = 0; i < size; ++i) {
    uint64_t off = offset + i;
    uint8_t b = uint8_t(value >> (8 * i));
    DroppedAccess::Reason why = DroppedAccess::Reason::kOutsideWindow;
    if (off >= offset && off < ptp::kWindowSize) {
      unsigned loc = unsigned(off / ptp::kLocalityStride);
      uint32_t reg = uint32_t(off % ptp::kLocalityStride);
      if (reachable(ctx, loc, why)) {
        if (loc == 4 && hashActive_ && reg >= ptp::kHashData && reg < ptp::kHashData + 4) {
          hashBytes.push_back(b);
          continue;
        }
        flushHashData(hashBytes);
        if (loc == 4 && reg == ptp::kHashStart)
          hashStart();
        else if (loc == 4 && reg == ptp::kHashEnd)
          hashEnd();
        else
          writeByte(loc, reg, b);
        continue;
      }
    }
    if (!dropped) {
      dropped = true;
      drop.reason = why;
      drop.locality = uint8_t(off >= offset && off < ptp::kWindowSize ? off / ptp::kLocalityStride : 0xFF);
    }
  }
  flushHashData(hashBytes);
  if (dropped) {
    drop.write = true;
    drop.cpu = ctx.cpu;
    drop.offset = offset;
    drop.size = size;
    drop.value = size == 8 ? value : value & ((uint64_t(1) << (8 * size)) - 1);
    recordDrop(drop);
  }
}

void TpmInterface::openLocality(unsigned n) {
  if (n < 1 || n > 3) throw InternalError(name_ + ": openLocality(" + std::to_string(n) + "): only 1..3");
  open_[n] = true;
}

void TpmInterface::closeLocality(unsigned n) {
  if (n < 1 || n > 3) throw InternalError(name_ + ": closeLocality(" + std::to_string(n) + "): only 1..3");
  open_[n] = false;
}

bool TpmInterface::localityOpen(unsigned n) const { return n < 4 && open_[n]; }

// Whether HASH_START aborts a running command or moves the active locality is
// not settled by the sources read (spec/tpm.md §1.4): it does neither here.
// The engine itself cancels the sequence when a command runs in between.
void TpmInterface::hashStart() {
  hashActive_ = true;
  engine_.hashStart();
}

void TpmInterface::hashData(std::span<const uint8_t> data) { engine_.hashData(data); }

void TpmInterface::hashEnd() {
  hashActive_ = false;
  engine_.hashEnd();
}

void TpmInterface::requestLocality(unsigned loc) {
  int old = arbiter_.active();
  if (arbiter_.request(loc)) localityChanged(old, arbiter_.active());
}

void TpmInterface::relinquishLocality(unsigned loc) {
  int old = arbiter_.active();
  if (arbiter_.relinquish(loc)) localityChanged(old, arbiter_.active());
}

void TpmInterface::seizeLocality(unsigned loc) {
  int old = arbiter_.active();
  if (arbiter_.seize(loc)) localityChanged(old, arbiter_.active());
}

// Layout: the interface's own fields, then the engine's state as one
// length-prefixed field (TpmEngine::saveState).
std::vector<uint8_t> TpmInterface::saveState() const {
  StateWriter w;
  saveInterface(w);
  w.bytes(engine_.saveState());
  return w.take();
}

void TpmInterface::saveInterface(StateWriter& w) const {
  w.u32(snapshotTag());
  w.u8(kSnapshotVersion);
  for (bool o : open_) w.flag(o);
  w.flag(hashActive_);
  w.u64(dropped_.size());
  for (const auto& d : dropped_) {
    w.u8(uint8_t(d.reason));
    w.flag(d.write);
    w.u32(uint32_t(d.cpu));
    w.u8(d.locality);
    w.u64(d.offset);
    w.u8(uint8_t(d.size));
    w.u64(d.value);
  }
  w.u64(droppedCount_);
  arbiter_.save(w);
  runner_.save(w);
  saveRegisters(w);
}

// All or nothing: the interface part is restored first (from a backup of it
// when anything fails), then the engine, which restores all or nothing itself.
void TpmInterface::restoreState(std::span<const uint8_t> state) {
  StateWriter backupWriter;
  saveInterface(backupWriter);
  std::vector<uint8_t> backup = backupWriter.take();
  try {
    std::vector<uint8_t> engineState = restoreFrom(state, true);
    engine_.restoreState(engineState);
  } catch (...) {
    restoreFrom(backup, false);  // our own output: puts the interface back as it was
    throw;
  }
}

std::vector<uint8_t> TpmInterface::restoreFrom(std::span<const uint8_t> state, bool withEngine) {
  StateReader r(state, "tpm interface " + name_);
  r.expectHeader(snapshotTag(), kSnapshotVersion);
  for (auto& o : open_) o = r.flag("open_locality");
  if (!open_[0]) r.fail("open_locality", "locality 0 is always open");
  hashActive_ = r.flag("hash_active");
  uint64_t n = r.bounded("dropped", kDroppedLimit);
  dropped_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    DroppedAccess d;
    uint8_t reason = r.u8("dropped_reason");
    if (reason > 2) r.fail("dropped_reason", "value " + std::to_string(reason) + " is not 0..2");
    d.reason = DroppedAccess::Reason(reason);
    d.write = r.flag("dropped_write");
    d.cpu = int(int32_t(r.u32("dropped_cpu")));
    d.locality = r.u8("dropped_locality");
    d.offset = r.u64("dropped_offset");
    d.size = r.u8("dropped_size");
    d.value = r.u64("dropped_value");
    dropped_.push_back(d);
  }
  droppedCount_ = r.u64("dropped_count");
  arbiter_.restore(r);
  runner_.restore(r);
  restoreRegisters(r);
  std::vector<uint8_t> engineState;
  if (withEngine) engineState = r.bytes("engine_state", kMaxEngineState);
  r.expectEnd();
  return engineState;
}

}  // namespace dlsim::tpm
