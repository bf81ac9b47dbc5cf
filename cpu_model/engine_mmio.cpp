#include "cpu_model/engine_mmio.h"

#include <algorithm>
#include <span>
#include <string>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/host_probe.h"

namespace dlsim {

namespace {

constexpr uint64_t kPage = 4096;

bool isAccessSize(uint64_t s) { return s == 1 || s == 2 || s == 4 || s == 8; }

// Byte `i` (little-endian) of v.
uint8_t byteOf(uint64_t v, uint64_t i) { return static_cast<uint8_t>(v >> (8 * i)); }

}  // namespace

std::vector<AccessPiece> unicornPieces(uint64_t addr, unsigned size, bool write) {
  std::vector<AccessPiece> out;
  // One load or store of n bytes the softmmu makes on a region: at most 4
  // bytes per call, ascending.
  const auto region = [&](uint64_t a, unsigned n) {
    for (unsigned i = 0; i < n; i += std::min(n, 4u)) out.push_back({a + i, std::min(n, 4u)});
  };
  const auto access = [&](uint64_t a, unsigned n) {
    if ((a & (n - 1)) == 0) return region(a, n);
    if (write) {  // byte stores, ascending
      for (unsigned i = 0; i < n; ++i) out.push_back({a + i, 1});
      return;
    }
    const uint64_t low = a & ~uint64_t{n - 1};  // two aligned loads of n
    region(low, n);
    region(low + n, n);
  };
  if (size == 16) {  // SSE: two 8-byte accesses, low half first
    access(addr, 8);
    access(addr + 8, 8);
  } else {
    access(addr, size);
  }
  return out;
}

EngineMmio::EngineMmio(Engine& engine) : engine_(engine) {
  for (const Aperture& a : wantedApertures()) map(a);
  engine_.platform_->bus->addObserver(this);
}

EngineMmio::~EngineMmio() { engine_.platform_->bus->removeObserver(this); }

// ---- which ranges the engine maps ---------------------------------------------

std::vector<EngineMmio::Aperture> EngineMmio::wantedApertures() const {
  const CpuPlatform& p = *engine_.platform_;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // [begin, end)
  ranges.emplace_back(Bus::kPlatformHoleBase, Bus::kPlatformHoleBase + Bus::kPlatformHoleSize);
  for (const MmioWindow& w : p.bus->mmioWindows())
    ranges.emplace_back(w.base & ~(kPage - 1), (w.base + w.size + kPage - 1) & ~(kPage - 1));
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  // RAM stays RAM (Machine::start refuses windows on RAM; the hole may hold some).
  for (const auto& ram : p.memory->regions()) {
    const uint64_t rb = ram.base & ~(kPage - 1), re = (ram.base + ram.size + kPage - 1) & ~(kPage - 1);
    std::vector<std::pair<uint64_t, uint64_t>> left;
    for (const auto& [b, e] : merged) {
      if (re <= b || e <= rb) {
        left.emplace_back(b, e);
        continue;
      }
      if (b < rb) left.emplace_back(b, rb);
      if (re < e) left.emplace_back(re, e);
    }
    merged = std::move(left);
  }
  std::vector<Aperture> out;
  for (const auto& [b, e] : merged) out.push_back({b, e - b});
  return out;
}

void EngineMmio::map(const Aperture& a) {
  users_.push_back(std::make_unique<std::pair<EngineMmio*, uint64_t>>(this, a.base));
  const uc_err err = uc_mmio_map(engine_.uc(), a.base, a.size, onRead, users_.back().get(), onWrite, users_.back().get());
  if (err != UC_ERR_OK)
    throw InternalError("Unicorn: map MMIO range " + hex(a.base) + "-" + hex(a.base + a.size - 1) + ": " +
                        uc_strerror(err));
  mapped_.push_back(a);
}

void EngineMmio::mmioWindowsChanged() {
  const std::vector<Aperture> wanted = wantedApertures();
  std::vector<Aperture> kept;
  for (const Aperture& a : mapped_) {
    if (std::find(wanted.begin(), wanted.end(), a) != wanted.end()) {
      kept.push_back(a);
      continue;
    }
    const uc_err err = uc_mem_unmap(engine_.uc(), a.base, a.size);
    if (err != UC_ERR_OK)
      throw InternalError("Unicorn: unmap MMIO range " + hex(a.base) + ": " + uc_strerror(err));
  }
  mapped_ = std::move(kept);
  for (const Aperture& a : wanted)
    if (std::find(mapped_.begin(), mapped_.end(), a) == mapped_.end()) map(a);
  pending_.reset();
}

// ---- pieces to accesses -----------------------------------------------------------

uint64_t EngineMmio::onRead(uc_engine*, uint64_t offset, unsigned size, void* user) {
  auto* u = static_cast<std::pair<EngineMmio*, uint64_t>*>(user);
  EngineSettled settled(u->first->engine_);
  HostProbeScope probe("intercept", "mmio-read");
  DeviceAccessScope device(u->first->engine_);
  return u->first->read(u->second + offset, size);
}

void EngineMmio::onWrite(uc_engine*, uint64_t offset, unsigned size, uint64_t value, void* user) {
  auto* u = static_cast<std::pair<EngineMmio*, uint64_t>*>(user);
  EngineSettled settled(u->first->engine_);
  HostProbeScope probe("intercept", "mmio-write");
  DeviceAccessScope device(u->first->engine_);
  u->first->write(u->second + offset, size, value);
}

EngineMmio::Instance EngineMmio::instance() const {
  uint64_t addr = 0;
  uint32_t size = 0, insns = 0;
  if (!engine_.currentBlock(addr, size, insns)) return {};
  return {addr, engine_.platform_->time, engine_.blocksLeft()};
}

bool EngineMmio::inAperture(uint64_t physical) const {
  for (const Aperture& a : mapped_)
    if (physical - a.base < a.size) return true;
  return false;
}

bool EngineMmio::isNextPiece(bool write, uint64_t addr, unsigned size, const Instance& in) const {
  if (!pending_ || pending_->write != write || !(pending_->instance == in)) return false;
  const MmioPiece& p = pending_->access.pieces[pending_->next];
  return p.physical == addr && p.size == size;
}

bool EngineMmio::isWholePiece(const GuestAccess& a, uint64_t addr, unsigned size) {
  return a.pieces.size() == 1 && a.runs.size() == 1 && a.runs[0].physical == addr && a.runs[0].offset == 0 &&
         a.runs[0].size == a.size && a.size == size;
}

uint64_t EngineMmio::read(uint64_t addr, unsigned size) {
  Bus& bus = *engine_.platform_->bus;
  const AccessContext ctx = AccessContext::fromCpu(engine_.cpu_.index());
  const Instance in = instance();
  if (!isNextPiece(false, addr, size, in)) {
    pending_.reset();
    // A one-byte read piece is always a whole one-byte access.
    std::optional<GuestAccess> a = size == 1 ? std::nullopt : identify(addr, size, false, in);
    if (!a || isWholePiece(*a, addr, size)) return bus.mmioRead(ctx, addr, size);
    pending_ = Pending{false, std::move(*a), {}, 0, in};
    pending_->bytes.fill(0xff);
    for (const Run& r : pending_->access.runs)
      bus.mmioReadBytes(ctx, r.physical, std::span<uint8_t>(pending_->bytes.data() + r.offset, r.size));
  }
  // A piece of an access the devices already answered.
  const MmioPiece p = pending_->access.pieces[pending_->next];
  const int64_t n = pending_->access.size;
  uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i) {
    const int64_t at = p.offset + i;
    v |= uint64_t{at >= 0 && at < n ? pending_->bytes[static_cast<size_t>(at)] : uint8_t{0xff}} << (8 * i);
  }
  if (++pending_->next == pending_->access.pieces.size()) pending_.reset();
  return v;
}

void EngineMmio::write(uint64_t addr, unsigned size, uint64_t value) {
  Bus& bus = *engine_.platform_->bus;
  const AccessContext ctx = AccessContext::fromCpu(engine_.cpu_.index());
  const Instance in = instance();
  if (!isNextPiece(true, addr, size, in)) {
    pending_.reset();
    // A two-byte write piece is always a whole two-byte access.
    std::optional<GuestAccess> a = size == 2 ? std::nullopt : identify(addr, size, true, in);
    if (!a || isWholePiece(*a, addr, size)) return bus.mmioWrite(ctx, addr, size, value);
    pending_ = Pending{true, std::move(*a), {}, 0, in};
  }
  // Collect the piece's bytes; the last piece makes the access.
  Pending& pd = *pending_;
  const MmioPiece p = pd.access.pieces[pd.next];
  for (unsigned i = 0; i < size; ++i) {
    const int64_t at = p.offset + i;
    if (at >= 0 && at < int64_t{pd.access.size}) pd.bytes[static_cast<size_t>(at)] = byteOf(value, i);
  }
  if (++pd.next < pd.access.pieces.size()) return;
  const Pending done = std::move(pd);
  pending_.reset();
  for (const Run& r : done.access.runs)
    bus.mmioWriteBytes(ctx, r.physical, std::span<const uint8_t>(done.bytes.data() + r.offset, r.size));
}

std::optional<EngineMmio::GuestAccess> EngineMmio::accessAt(uint64_t linear, unsigned size, bool write, uint64_t addr,
                                                            unsigned pieceSize) {
  const std::vector<AccessPiece> pieces = unicornPieces(linear, size, write);
  // The page offset rules out most candidates before any page walk.
  bool possible = false;
  for (const AccessPiece& p : pieces) possible |= p.size == pieceSize && ((p.address ^ addr) & (kPage - 1)) == 0;
  if (!possible) return std::nullopt;
  // Each page the access touches (at most three with a misaligned load's
  // containers) is translated once.
  Cpu& cpu = engine_.cpu_;
  std::pair<uint64_t, std::optional<uint64_t>> pages[3];
  size_t known = 0;
  const auto physical = [&](uint64_t lin) -> std::optional<uint64_t> {
    const uint64_t page = lin & ~(kPage - 1);
    for (size_t i = 0; i < known; ++i)
      if (pages[i].first == page) return pages[i].second ? std::optional<uint64_t>(*pages[i].second + (lin - page)) : std::nullopt;
    const std::optional<uint64_t> base = cpu.translate(page, Access::Read);
    if (known < 3) pages[known++] = {page, base};
    return base ? std::optional<uint64_t>(*base + (lin - page)) : std::nullopt;
  };
  GuestAccess a;
  a.size = size;
  for (const AccessPiece& p : pieces) {
    const std::optional<uint64_t> phys = physical(p.address);
    if (!phys) return std::nullopt;
    if (!inAperture(*phys)) continue;  // RAM: Unicorn serves it itself
    if (a.pieces.empty() && (*phys != addr || p.size != pieceSize)) return std::nullopt;
    a.pieces.push_back({*phys, p.size, static_cast<int64_t>(p.address - linear)});
  }
  if (a.pieces.empty()) return std::nullopt;
  for (unsigned i = 0; i < size; ++i) {
    const std::optional<uint64_t> phys = physical(linear + i);
    if (!phys || !inAperture(*phys)) continue;
    if (!a.runs.empty() && a.runs.back().offset + a.runs.back().size == i &&
        a.runs.back().physical + a.runs.back().size == *phys)
      ++a.runs.back().size;
    else
      a.runs.push_back({*phys, i, 1});
  }
  return a;
}

std::optional<EngineMmio::GuestAccess> EngineMmio::identify(uint64_t addr, unsigned size, bool write,
                                                            const Instance& in) {
  if (in.block == ~0ull) return std::nullopt;
  uint64_t blockAddr = 0;
  uint32_t blockSize = 0, insns = 0;
  Cpu& cpu = engine_.cpu_;
  if (!engine_.currentBlock(blockAddr, blockSize, insns)) return std::nullopt;
  const std::vector<MemoryOperand>* operands = operands_.load(cpu, blockAddr, blockSize);
  if (!operands) return std::nullopt;
  if (!(cursorInstance_ == in)) {
    cursorInstance_ = in;
    nextRead_ = nextWrite_ = 0;
  }
  const uint32_t from = write ? nextWrite_ : nextRead_;
  // Unicorn's pieces of an s-byte access have min(s, 4) bytes, or one byte
  // for a misaligned store; a 16-byte access is two 8-byte ones.
  const auto couldBe = [&](unsigned s) {
    const unsigned each = s == 16 ? 8 : s;
    return isAccessSize(each) && ((write && size == 1) || size == std::min(each, 4u));
  };
  // A store piece whose every candidate has its own size is the whole access
  // (a misaligned store comes as bytes): no need to look at the registers.
  bool ambiguous = false;
  for (const MemoryOperand& m : *operands)
    ambiguous |= couldBe(m.op.size) && !(write && m.op.size == size);
  if (!ambiguous) return std::nullopt;
  OperandEvaluator eval(cpu);
  std::optional<std::pair<uint32_t, GuestAccess>> first, atCursor;
  for (const MemoryOperand& m : *operands) {
    if (atCursor) break;  // operands come in instruction order
    if (!couldBe(m.op.size)) continue;
    // An operand Capstone marks as only read cannot make a store, and the
    // other way round (an unmarked one may make either).
    const uint8_t wanted = write ? CS_AC_WRITE : CS_AC_READ;
    if (m.op.access != 0 && (m.op.access & wanted) == 0) continue;
    const std::optional<uint64_t> linear = eval.linear(m);
    if (!linear) continue;
    std::optional<GuestAccess> a = accessAt(*linear, m.op.size, write, addr, size);
    if (!a) continue;
    if (m.index >= from) atCursor.emplace(m.index, std::move(*a));
    else if (!first) first.emplace(m.index, std::move(*a));
  }
  // Instructions run in order within a block instance: prefer the first at
  // or after the last one matched (two instructions may name one address).
  auto& found = atCursor ? atCursor : first;
  if (!found) return std::nullopt;
  if (write) {
    nextWrite_ = found->first + 1;
    nextRead_ = std::max(nextRead_, found->first + 1);
  } else {
    nextRead_ = found->first + 1;
    nextWrite_ = std::max(nextWrite_, found->first);
  }
  return std::move(found->second);
}

}  // namespace dlsim
