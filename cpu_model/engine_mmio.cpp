#include "cpu_model/engine_mmio.h"

#include <algorithm>
#include <string>

#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {

constexpr uint64_t kPage = 4096;

bool isAccessSize(uint64_t s) { return s == 1 || s == 2 || s == 4 || s == 8; }

// Byte `i` (little-endian) of v.
uint8_t byteOf(uint64_t v, uint64_t i) { return static_cast<uint8_t>(v >> (8 * i)); }

}  // namespace

AccessPieces unicornPieces(uint64_t addr, unsigned size, bool write) {
  const unsigned firstSize = std::min(size, 4u);  // the regions' largest access
  if ((addr & (size - 1)) == 0) return {addr, firstSize, addr + size};
  if (write) return {addr, 1, addr + size};  // byte stores, ascending
  const uint64_t low = addr & ~uint64_t{size - 1};  // two aligned loads of `size`
  return {low, firstSize, low + 2 * uint64_t{size}};
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
  DeviceAccessScope device(u->first->engine_);
  return u->first->read(u->second + offset, size);
}

void EngineMmio::onWrite(uc_engine*, uint64_t offset, unsigned size, uint64_t value, void* user) {
  auto* u = static_cast<std::pair<EngineMmio*, uint64_t>*>(user);
  EngineSettled settled(u->first->engine_);
  DeviceAccessScope device(u->first->engine_);
  u->first->write(u->second + offset, size, value);
}

EngineMmio::Instance EngineMmio::instance() const {
  uint64_t addr = 0;
  uint32_t size = 0, insns = 0;
  if (!engine_.currentBlock(addr, size, insns)) return {};
  return {addr, engine_.platform_->time, engine_.blocksLeft()};
}

uint64_t EngineMmio::read(uint64_t addr, unsigned size) {
  Bus& bus = *engine_.platform_->bus;
  const AccessContext ctx = AccessContext::fromCpu(engine_.cpu_.index());
  const Instance in = instance();
  if (pending_ && !pending_->write && pending_->instance == in && pending_->next == addr) {
    // A later piece of an access the device already answered.
    uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
      const uint64_t at = addr + i;
      const bool inside = at >= pending_->access.addr && at < pending_->access.addr + pending_->access.size;
      v |= uint64_t{inside ? byteOf(pending_->value, at - pending_->access.addr) : uint8_t{0xff}} << (8 * i);
    }
    pending_->next += size;
    if (pending_->next >= pending_->end) pending_.reset();
    return v;
  }
  pending_.reset();
  // A one-byte read piece is always a whole one-byte access.
  const std::optional<GuestAccess> a = size == 1 ? std::nullopt : identify(addr, size, false, in);
  if (!a || (a->addr == addr && a->size == size)) return bus.mmioRead(ctx, addr, size);
  const AccessPieces p = unicornPieces(a->addr, a->size, false);
  pending_ = Pending{false, *a, bus.mmioRead(ctx, a->addr, a->size), addr, p.end, in};
  return read(addr, size);  // served from pending_
}

void EngineMmio::write(uint64_t addr, unsigned size, uint64_t value) {
  Bus& bus = *engine_.platform_->bus;
  const AccessContext ctx = AccessContext::fromCpu(engine_.cpu_.index());
  const Instance in = instance();
  if (!(pending_ && pending_->write && pending_->instance == in && pending_->next == addr)) {
    pending_.reset();
    // A two-byte write piece is always a whole two-byte access.
    const std::optional<GuestAccess> a = size == 2 ? std::nullopt : identify(addr, size, true, in);
    if (!a || (a->addr == addr && a->size == size)) return bus.mmioWrite(ctx, addr, size, value);
    pending_ = Pending{true, *a, 0, addr, unicornPieces(a->addr, a->size, true).end, in};
  }
  // Collect the piece's bytes; the last piece makes the access.
  Pending& p = *pending_;
  for (unsigned i = 0; i < size; ++i) {
    const uint64_t at = addr + i;
    if (at < p.access.addr || at >= p.access.addr + p.access.size) continue;
    const unsigned shift = static_cast<unsigned>(8 * (at - p.access.addr));
    p.value = (p.value & ~(uint64_t{0xff} << shift)) | (uint64_t{byteOf(value, i)} << shift);
  }
  p.next += size;
  if (p.next < p.end) return;
  const GuestAccess a = p.access;
  const uint64_t v = p.value;
  pending_.reset();
  bus.mmioWrite(ctx, a.addr, a.size, v);
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
  // Unicorn's first piece of an s-byte access has min(s, 4) bytes, or one
  // byte for a misaligned store: only such operands can have made this one.
  const auto couldBe = [&](unsigned s) { return isAccessSize(s) && ((write && size == 1) || size == std::min(s, 4u)); };
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
    const std::optional<uint64_t> linear = eval.linear(m);
    if (!linear) continue;
    // The page offset decides most candidates before any page walk.
    const AccessPieces byLinear = unicornPieces(*linear, m.op.size, write);
    if (((byLinear.first ^ addr) & (kPage - 1)) != 0 || byLinear.firstSize != size) continue;
    const std::optional<uint64_t> physical = cpu.translate(*linear, Access::Read);
    if (!physical) continue;
    const AccessPieces p = unicornPieces(*physical, m.op.size, write);
    if (p.first != addr || p.firstSize != size) continue;
    const std::pair<uint32_t, GuestAccess> c{m.index, {*physical, m.op.size}};
    if (!first) first = c;
    if (m.index >= from) atCursor = c;
  }
  // Instructions run in order within a block instance: prefer the first at
  // or after the last one matched (two instructions may name one address).
  const auto& found = atCursor ? atCursor : first;
  if (!found) return std::nullopt;
  if (write) {
    nextWrite_ = found->first + 1;
    nextRead_ = std::max(nextRead_, found->first + 1);
  } else {
    nextRead_ = found->first + 1;
    nextWrite_ = std::max(nextWrite_, found->first);
  }
  return found->second;
}

}  // namespace dlsim
