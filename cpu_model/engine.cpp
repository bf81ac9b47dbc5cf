#include "cpu_model/engine.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "cpu_model/code_decoder.h"
#include "cpu_model/cpu.h"
#include "cpu_model/segments.h"
#include "cpu_model/unicorn_context.h"
#include "cpu_model/unicorn_exit_checks.h"
#include "cpu_model/unicorn_layout_probe.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/host_probe.h"
#include "sim/snapshot/code_page_watch.h"

namespace dlsim {

namespace {
constexpr uint64_t kPage = 4096;
}

Engine::Engine(Cpu& cpu, bool wide)
    : platform_(&cpu.platform()), cpu_(cpu), wide_(wide), exitSwitch_(unicorn_exit_checks::available()) {
  clearCache();
  unicorn_layout_probe::require();  // once per process: refuses a build whose private layout differs
  check(uc_open(UC_ARCH_X86, wide ? UC_MODE_64 : UC_MODE_32, &uc_), "uc_open");
  // Each engine reserves host address space for translated code; 256 MiB is
  // plenty for boot code and keeps 64 CPUs' reservations modest.
  uc_ctl_set_tcg_buffer_size(uc_, 256u << 20);
  check(uc_context_alloc(uc_, &scratch_), "context");
  // No exit addresses at all: Unicorn translates (exit - 1) at every start to
  // drop its block, and under guest paging that page walk can fault, leaving
  // CR2 and the exception-in-flight state clobbered.
  check(uc_ctl_exits_enable(uc_), "exits");
  CpuPlatform& p = cpu.platform();
  for (const auto& r : p.memory->regions())
    check(uc_mem_map_ptr(uc_, r.base, r.size, UC_PROT_ALL, r.host), ("map RAM region " + r.name).c_str());
  mmio_ = std::make_unique<EngineMmio>(*this);
  uc_hook h;
  check(uc_hook_add(uc_, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(onBlock), this, 1, 0), "block hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_EDGE_GENERATED, reinterpret_cast<void*>(onTranslated), this, 1, 0),
        "translation hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(onInterrupt), this, 1, 0), "interrupt hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN_INVALID, reinterpret_cast<void*>(onInvalid), this, 1, 0), "invalid hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN, reinterpret_cast<void*>(onIn), this, 1, 0, UC_X86_INS_IN), "IN hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN, reinterpret_cast<void*>(onOut), this, 1, 0, UC_X86_INS_OUT), "OUT hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN, reinterpret_cast<void*>(onCpuid), this, 1, 0, UC_X86_INS_CPUID),
        "CPUID hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(onUnmapped), this, 1, 0), "unmapped hook");
  if (p.stopAt)
    check(uc_hook_add(uc_, &h, UC_HOOK_CODE, reinterpret_cast<void*>(onStopAt), this, *p.stopAt, *p.stopAt),
          "stop-address hook");
  for (uint64_t a : p.triggerAddresses)
    check(uc_hook_add(uc_, &h, UC_HOOK_CODE, reinterpret_cast<void*>(onTrigger), this, a, a), "trigger hook");
}

Engine::~Engine() {
  releaseCodePages();
  for (auto& [addr, hook] : specialHooks_) delete hook;
  if (scratch_) uc_context_free(scratch_);
  if (uc_) uc_close(uc_);
}

void Engine::check(uc_err err, const char* what) {
  if (err != UC_ERR_OK) throw InternalError(std::string("Unicorn: ") + what + ": " + uc_strerror(err));
}

// ---- hot path -------------------------------------------------------------

namespace {
// Two sizes below maxSize (a power of two) at one address give hash inputs
// that differ by d, 0 < |d| < maxSize: their slots differ when d times the
// multiplier lies at least one slot's width away from 0, modulo 2^32.
constexpr bool sizesNeverShareASlot(uint32_t multiplier, unsigned slotBits, uint32_t maxSize) {
  const uint32_t width = 1u << (32 - slotBits);
  for (uint32_t d = 1; d < maxSize; ++d) {
    const uint32_t x = d * multiplier;
    if (x < width || x > 0u - width) return false;
  }
  return true;
}
}  // namespace

void Engine::onBlock(uc_engine*, uint64_t addr, uint32_t size, void* user) {
  static_assert(sizesNeverShareASlot(kSlotMultiplier, kSlotBits, kMaxCachedSize),
                "the fast path's address-only compare needs distinct slots for the sizes at one address");
  auto* e = static_cast<Engine*>(user);
  const size_t i = slotOf(addr, size);
  if (e->keys_[i] != addr) [[unlikely]]
    return onBlockMiss(nullptr, addr, size, user);
  e->acc_ += e->incs_[i];
  if (e->acc_ < e->incs_[i]) [[unlikely]]  // the carry: a decision may be due
    return onBlockCarry(nullptr, addr, size, user);
  e->hash_ = foldTrace(e->hash_, addr);
  e->lastSlot_ = i;
}

// A block whose slot another block holds may be in the victim table.
void Engine::onBlockMiss(uc_engine*, uint64_t addr, uint32_t size, void* user) {
  auto* e = static_cast<Engine*>(user);
  const size_t v = victimOf(addr, size);
  if (e->keys_[v] == addr && e->sizes_[v] == size) {
    const uint64_t inc = e->incs_[v];
    e->acc_ += inc;
    if (e->acc_ >= inc) {
      e->hash_ = foldTrace(e->hash_, addr);
      e->lastSlot_ = v;
      return;
    }
    e->acc_ -= inc;  // the carry: the slow path decides
  }
  e->onBlockSlow(addr, size);
}

void Engine::onBlockCarry(uc_engine*, uint64_t addr, uint32_t size, void* user) {
  auto* e = static_cast<Engine*>(user);
  e->acc_ -= e->incs_[slotOf(addr, size)];  // the fast path's add did not start the block
  e->onBlockSlow(addr, size);
}

void Engine::settle() {
  const uint64_t t = acc_ & kTimeMask;
  acc_ -= t;
  platform_->time += t;
  platform_->traceHash = hash_;
}

void Engine::resume() { hash_ = platform_->traceHash; }

void Engine::onBlockSlow(uint64_t addr, uint32_t size) {
  // From here blocksLeft() == quantumLeft_ (this block's own add was not
  // stored: it does not count yet).
  EngineSettled settled(*this);
  HostProbeScope probe("engine", "block-slow-path");
  forceSlowPath();
  if (retranslate_ && retranslateWithChecks(addr, size)) return;  // runs after re-translation
  CpuPlatform& p = *platform_;
  if (quantumLeft_ == 0 || p.time >= stopTime_) {
    // The block does not start: it is counted when it runs. Unicorn 2.1.1
    // does not write the guest IP back when a block entered by a chained
    // jump exits at its start while code hooks exist (cpu_tb_exec syncs the
    // PC only without them): EIP would still point into the block before.
    // Set it to this block's start ourselves.
    uc_emu_stop(uc_);
    cpu_.setIp(addr - segmentBase(cpu_, Reg::Cs));
    return;
  }
  size_t i = cachedSlot(addr, size);
  uint32_t insns = 0;
  if (i != kNoSlot) {
    insns = slotInsns(i);
  } else {
    if (auto k = known_.find(knownKey(addr, size)); k != known_.end()) {
      insns = k->second;
    } else {
      if (!discover(addr, size, insns)) return;  // stopped: the block runs after re-translation
      if (size < kMaxCachedSize) known_[knownKey(addr, size)] = insns;
    }
    i = cacheBlock(addr, size, insns);
  }
  --quantumLeft_;
  // Before the block is counted: the trace writer takes the time that
  // passed since the previous start as the previous block's retired part.
  if (p.blockTrace) p.blockTrace(cpu_.index(), addr, size);
  p.traceHash = foldTrace(p.traceHash, addr);
  p.time += insns;
  lastSlot_ = i;
  arm();
}

void Engine::onTranslated(uc_engine*, uc_tb* cur, uc_tb*, void* user) {
  auto* e = static_cast<Engine*>(user);
  // A store into the block that is running makes Unicorn abandon that block
  // before the store and run the store alone in a one-instruction block:
  // the instructions from the store on were counted when the block started
  // but did not run. Nothing else starts a one-instruction block strictly
  // inside the block that started last and short of its end (a jump into
  // its middle runs on to the same branch; a fault leaves for a handler).
  if (e->lastSlot_ != kNoSlot && e->keys_[e->lastSlot_] != kNoBlock && cur->icount == 1) {
    const uint64_t start = e->keys_[e->lastSlot_];
    const uint64_t end = start + e->sizes_[e->lastSlot_];
    if (cur->pc > start && cur->pc + cur->size < end) {
      EngineSettled settled(*e);
      e->platform_->time -= e->instructionsNotRun(cur->pc);
    }
  }
  if (const size_t i = e->cachedSlot(cur->pc, cur->size); i != kNoSlot) e->clearSlot(i);
  e->known_.erase(knownKey(cur->pc, cur->size));
  e->afterTranslation(cur->pc, cur->size);
}

void Engine::afterTranslation(uint64_t pc, uint32_t size) {
  if (!exitSwitch_) return;
  if (checksOff_ && holdsCodeHook(pc, size)) {
    setExitChecks(true);
    retranslate_ = {pc, size};
    forceSlowPath();  // its start must not count: it does not run as translated
  } else if (!checksOff_ && !retranslate_) {
    setExitChecks(false);
  }
}

bool Engine::holdsCodeHook(uint64_t pc, uint32_t size) const {
  const auto& stopAt = platform_->stopAt;
  if (stopAt && *stopAt >= pc && *stopAt < pc + size) return true;
  for (uint64_t a : platform_->triggerAddresses)
    if (a >= pc && a < pc + size) return true;
  const auto it = specialHooks_.lower_bound(pc);
  return it != specialHooks_.end() && it->first < pc + size;
}

void Engine::setExitChecks(bool on) {
  if (!exitSwitch_) return;
  unicorn_exit_checks::setSuppressed(uc_, !on);
  checksOff_ = !on;
}

bool Engine::retranslateWithChecks(uint64_t addr, uint32_t size) {
  const auto [pendingAddr, pendingSize] = *retranslate_;
  retranslate_.reset();
  uc_ctl_remove_cache(uc_, pendingAddr, pendingAddr + pendingSize);
  // The scheduled block starts next (Unicorn runs a block right after
  // translating it); should another start first, the drop above still makes
  // the scheduled one translate again, and afterTranslation sees it again.
  if (pendingAddr != addr || pendingSize != size) return false;
  restartAt(addr);
  return true;
}

void Engine::restartAt(uint64_t addr) {
  restartRequested = true;
  uc_emu_stop(uc_);
  cpu_.setIp(addr - segmentBase(cpu_, Reg::Cs));  // see onBlockSlow
}

size_t Engine::cacheBlock(uint64_t addr, uint32_t size, uint32_t insns) {
  if (size >= kMaxCachedSize) return kNoSlot;
  const size_t i = slotOf(addr, size);
  if (keys_[i] != kNoBlock) {
    const size_t v = victimOf(keys_[i], sizes_[i]);
    keys_[v] = keys_[i];
    sizes_[v] = sizes_[i];
    incs_[v] = incs_[i];
  }
  setSlot(i, addr, size, insns);
  return i;
}

void Engine::arm() {
  uint64_t fast = std::min(quantumLeft_, kMaxFast);
  if (platform_->blockTrace) fast = 0;
  if (stopTime_ != ~0ull) {
    const uint64_t now = platform_->time + (acc_ & kTimeMask);
    fast = std::min(fast, now < stopTime_ ? (stopTime_ - now) / longestBlock_ : 0);
  }
  armFast(fast);
}

void Engine::setQuantum(uint64_t blocks, uint64_t stopTime) {
  quantumLeft_ = blocks;
  stopTime_ = stopTime;
  arm();
  resume();
}

void Engine::endQuantum() {
  forceSlowPath();
  quantumLeft_ = 0;
}

// ---- slow path: new blocks ------------------------------------------------

bool Engine::discover(uint64_t addr, uint32_t size, uint32_t& insns) {
  DecodedCode code(cpu_, addr, size);
  if (!code.readable()) {
    insns = 1;
    return true;
  }
  const size_t n = code.count();
  const SpecialInstructionRegistry& reg = *cpu_.platform().special;
  bool hooked = false;
  uint64_t decoded = 0;
  for (size_t i = 0; i < n; ++i) {
    const cs_insn& in = code[i];
    decoded += in.size;
    if (!reg.find(in.id)) continue;
    const uint32_t after = static_cast<uint32_t>(n - 1 - i);
    if (auto it = specialHooks_.find(in.address); it != specialHooks_.end()) {
      it->second->insn.afterInBlock = after;
      continue;
    }
    auto* sh = new SpecialHook;
    sh->engine = this;
    sh->insn = toDecodedInsn(in);
    sh->insn.afterInBlock = after;
    uc_err err = uc_hook_add(uc_, &sh->handle, UC_HOOK_CODE, reinterpret_cast<void*>(onSpecial), sh, in.address,
                             in.address);
    if (err != UC_ERR_OK) {
      delete sh;
      throw InternalError(std::string("Unicorn: special-instruction hook: ") + uc_strerror(err));
    }
    specialHooks_[in.address] = sh;
    hooked = true;
  }
  // Bytes Capstone could not decode still form (at least) one instruction.
  uint32_t count = static_cast<uint32_t>(n) + (decoded < size ? 1 : 0);

  for (uint64_t page = addr & ~(kPage - 1); page < addr + size; page += kPage) {
    const uint64_t from = page < addr ? addr : page;
    const uint64_t to = std::min(page + kPage, addr + size);
    auto phys = cpu_.translate(from, Access::Execute);
    if (!phys) continue;
    CodePiece piece{addr, size, *phys, std::vector<uint8_t>(to - from)};
    if (!platform_->memory->read(*phys, piece.bytes.data(), piece.bytes.size())) continue;  // not RAM
    const uint64_t physPage = *phys & ~(kPage - 1);
    auto [it, fresh] = blocksByPage_.try_emplace(physPage);
    if (fresh && platform_->codeWatch) {
      platform_->codeWatch->addCodePage(physPage);
      it->second.seenWrites = platform_->codeWatch->writeCount(physPage);
    }
    // A block discovered again (translated anew) replaces its old piece.
    auto& pieces = it->second.pieces;
    auto same = std::find_if(pieces.begin(), pieces.end(), [&](const CodePiece& q) {
      return q.linear == piece.linear && q.size == piece.size && q.physical == piece.physical;
    });
    if (same != pieces.end())
      *same = std::move(piece);
    else
      pieces.push_back(std::move(piece));
  }
  if (hooked) {
    // Re-translate the block so the new hooks are compiled into it, with the
    // exit check each hook needs to end the block.
    setExitChecks(true);
    uc_ctl_remove_cache(uc_, addr, addr + size);
    restartAt(addr);
    return false;
  }
  insns = count;
  longestBlock_ = std::max(longestBlock_, count);
  return true;
}

uint32_t Engine::instructionsNotRun(uint64_t ip) {
  if (lastSlot_ == kNoSlot) return 0;
  const size_t i = lastSlot_;
  if (keys_[i] == kNoBlock || ip < keys_[i] || ip >= keys_[i] + sizes_[i]) return 0;
  const uint64_t start = keys_[i];
  const uint32_t total = slotInsns(i);
  lastSlot_ = kNoSlot;  // counted once
  DecodedCode code(cpu_, start, sizes_[i]);
  if (!code.readable()) return 0;
  uint32_t ran = 0;
  for (size_t i = 0; i < code.count() && code[i].address < ip; ++i) ++ran;
  return ran < total ? total - ran : 0;
}

void Engine::invalidatePhysical(uint64_t gpa, uint64_t len) {
  if (len == 0 || blocksByPage_.empty()) return;
  for (uint64_t page = gpa & ~(kPage - 1); page < gpa + len; page += kPage) {
    auto it = blocksByPage_.find(page);
    if (it == blocksByPage_.end()) continue;
    for (const CodePiece& piece : it->second.pieces) dropBlock(piece.linear, piece.size);
    dropCodePage(page);
  }
  lastSlot_ = kNoSlot;
  finishDrops();
}

void Engine::dropBlock(uint64_t linear, uint32_t size) {
  if (!pagingBeforeDrops_) {
    uint64_t cr2 = 0, cr3 = 0;
    uc_reg_read(uc_, UC_X86_REG_CR2, &cr2);
    uc_reg_read(uc_, UC_X86_REG_CR3, &cr3);
    pagingBeforeDrops_ = {cr2, cr3};
  }
  uc_ctl_remove_cache(uc_, linear, linear + size);
  if (const size_t i = cachedSlot(linear, size); i != kNoSlot) clearSlot(i);
  known_.erase(knownKey(linear, size));
  lastSlot_ = kNoSlot;
}

void Engine::dropCodePage(uint64_t page) {
  if (blocksByPage_.erase(page) && platform_->codeWatch) platform_->codeWatch->removeCodePage(page);
}

void Engine::releaseCodePages() {
  if (platform_->codeWatch)
    for (const auto& [page, cp] : blocksByPage_) platform_->codeWatch->removeCodePage(page);
  blocksByPage_.clear();
}

void Engine::validateCode() {
  CodePageWatch* w = platform_->codeWatch;
  if (!w || blocksByPage_.empty() || w->epoch() == seenEpoch_) return;
  seenEpoch_ = w->epoch();
  std::vector<uint64_t> emptied;
  std::vector<uint8_t> now;
  for (auto& [page, cp] : blocksByPage_) {
    const uint32_t writes = w->writeCount(page);
    if (writes == cp.seenWrites) continue;
    cp.seenWrites = writes;
    std::erase_if(cp.pieces, [&](const CodePiece& piece) {
      now.resize(piece.bytes.size());
      if (platform_->memory->read(piece.physical, now.data(), now.size()) && now == piece.bytes) return false;
      dropBlock(piece.linear, piece.size);
      return true;
    });
    if (cp.pieces.empty()) emptied.push_back(page);
  }
  for (uint64_t page : emptied) dropCodePage(page);
  finishDrops();
}

// uc_ctl_remove_cache translates the linear address with the guest's current
// paging; when that page is not mapped the walk raises a #PF that Unicorn
// swallows, but CR2 and the exception-in-flight state keep its traces.
void Engine::finishDrops() {
  if (!pagingBeforeDrops_) return;
  auto [cr2, cr3] = *pagingBeforeDrops_;
  pagingBeforeDrops_.reset();
  uint64_t now = 0;
  uc_reg_read(uc_, UC_X86_REG_CR2, &now);
  if (now == cr2) return;
  // Unicorn's CR2 write also loads CR3 with the value: write CR3 back after.
  uc_reg_write(uc_, UC_X86_REG_CR2, &cr2);
  uc_reg_write(uc_, UC_X86_REG_CR3, &cr3);
  takeExceptionInfo(uc_, scratch_);
}

void Engine::invalidateAll() {
  uc_ctl_flush_tb(uc_);
  clearCache();
  known_.clear();
  releaseCodePages();
  lastSlot_ = kNoSlot;
}

// ---- special instructions ---------------------------------------------------

void Engine::onSpecial(uc_engine*, uint64_t addr, uint32_t, void* user) {
  auto* sh = static_cast<SpecialHook*>(user);
  EngineSettled settled(*sh->engine);
  Cpu& cpu = sh->engine->cpu_;
  // The code at this address may have changed since it was decoded.
  uint8_t now[16];
  if (!cpu.readLinear(addr, now, sh->insn.length) || std::memcmp(now, sh->insn.bytes, sh->insn.length) != 0) {
    DecodedCode code(cpu, addr, 16, 1);
    if (code.count() == 0 || !cpu.platform().special->find(code[0].id)) return;  // not special any more: Unicorn runs it
    const int32_t after = sh->insn.afterInBlock;
    sh->insn = toDecodedInsn(code[0]);
    sh->insn.afterInBlock = after;
  }
  cpu.handleSpecial(sh->insn);
}

bool Engine::onInvalid(uc_engine*, void* user) {
  auto* e = static_cast<Engine*>(user);
  EngineSettled settled(*e);
  Cpu& cpu = e->cpu_;
  uint64_t ip = cpu.ip();
  uint64_t linear = cpu.codeLinear(ip);
  uint8_t buf[16] = {};
  cs_insn* in = nullptr;
  size_t n = 0;
  if (cpu.readLinear(linear, buf, sizeof buf) || cpu.readLinear(linear, buf, 1))
    n = cs_disasm(cpu.capstone(cpu.codeBits()), buf, sizeof buf, linear, 1, &in);
  if (n == 1 && cpu.platform().special->find(in[0].id)) {
    DecodedInsn d = toDecodedInsn(in[0]);
    cs_free(in, n);
    InsnOutcome o = cpu.handleSpecial(d);
    // Unicorn reports vector 6 to the interrupt hook next; it was handled
    // unless the handler itself asked for #UD.
    e->ignoreNextUd_ = o != InsnOutcome::RaiseUD;
    return true;
  }
  if (in) cs_free(in, n);
  return true;  // not ours: the interrupt hook sees #UD and delivers it to the guest
}

void Engine::onInterrupt(uc_engine*, uint32_t intno, void* user) {
  auto* e = static_cast<Engine*>(user);
  EngineSettled settled(*e);
  if (intno == 6 && e->ignoreNextUd_) {
    e->ignoreNextUd_ = false;
    return;
  }
  // #NM for an instruction dlsim emulates: Unicorn raises it while CR0.TS is
  // set for every 0F 38 opcode and VEX-encoded one (its SSE path) and at
  // translation, before the block hook could place the special-instruction
  // hook. None dlsim emulates has an #NM (MOVBE, ANDN, BEXTR, BLSI, BLSMSK,
  // BLSR: APM vol. 3, SDM; a handler that needed one would raise it itself),
  // so the handler runs instead.
  if (intno == 7) {
    Cpu& cpu = e->cpu_;
    const uint64_t linear = cpu.codeLinear(cpu.ip());
    uint8_t buf[16] = {};
    cs_insn* in = nullptr;
    size_t n = 0;
    if (cpu.readLinear(linear, buf, sizeof buf) || cpu.readLinear(linear, buf, 1))
      n = cs_disasm(cpu.capstone(cpu.codeBits()), buf, sizeof buf, linear, 1, &in);
    if (n == 1 && cpu.platform().special->find(in[0].id)) {
      DecodedInsn d = toDecodedInsn(in[0]);
      cs_free(in, n);
      cpu.handleSpecial(d);
      return;
    }
    if (n) cs_free(in, n);
    // Any other VEX-encoded instruction is #UD on dlsim's CPU: it has no AVX
    // (CPUID cannot report it), and an encoding no CPU defines (VEX.L=1 BMI1)
    // is #UD too; neither waits for CR0.TS.
    if (vexPrefixAt(buf, sizeof buf, cpu.codeBits())) {  // buf: the bytes read above
      e->cpu_.noteException(6);
      return;
    }
  }
  e->cpu_.noteException(intno);
}

void Engine::onStopAt(uc_engine*, uint64_t addr, uint32_t, void* user) {
  auto* e = static_cast<Engine*>(user);
  EngineSettled settled(*e);
  Cpu& cpu = e->cpu_;
  const CpuPlatform& p = cpu.platform();
  if (p.stopAtCpu && *p.stopAtCpu != cpu.index()) return;
  RunExit exit;
  exit.kind = RunExit::MachineStop;
  exit.stop = StopInfo{stop_reason::kStopAddress, cpu.index(), addr,
                       "CPU " + std::to_string(cpu.index()) + " reached the stop address " + hex(addr)};
  cpu.platform().time -= e->instructionsNotRun(addr);
  cpu.requestStop(exit);
}

// A machine trigger address (CpuPlatform::triggerAddresses): the quantum ends
// before the instruction there when the machine has something to do.
void Engine::onTrigger(uc_engine*, uint64_t addr, uint32_t, void* user) {
  auto* e = static_cast<Engine*>(user);
  EngineSettled settled(*e);
  Cpu& cpu = e->cpu_;
  CpuPlatform& p = cpu.platform();
  if (!p.codeTrigger || !p.codeTrigger(cpu.index(), addr)) return;
  p.time -= e->instructionsNotRun(addr);
  RunExit exit;
  exit.kind = RunExit::Yield;
  cpu.requestStop(exit);
}

// ---- I/O --------------------------------------------------------------------

uint32_t Engine::onIn(uc_engine*, uint32_t port, int size, void* user) {
  auto* e = static_cast<Engine*>(user);
  EngineSettled settled(*e);
  HostProbeScope probe("intercept", "in");
  DeviceAccessScope device(*e);
  return static_cast<uint32_t>(
      e->cpu_.platform().bus->portRead(e->cpu_.index(), static_cast<uint16_t>(port), static_cast<unsigned>(size)));
}

void Engine::onOut(uc_engine*, uint32_t port, int size, uint32_t value, void* user) {
  auto* e = static_cast<Engine*>(user);
  EngineSettled settled(*e);
  HostProbeScope probe("intercept", "out");
  DeviceAccessScope device(*e);
  e->cpu_.platform().bus->portWrite(e->cpu_.index(), static_cast<uint16_t>(port), static_cast<unsigned>(size), value);
}

int Engine::onCpuid(uc_engine*, void* user) {
  auto* e = static_cast<Engine*>(user);
  EngineSettled settled(*e);
  HostProbeScope probe("intercept", "cpuid");
  Cpu& cpu = e->cpu_;
  uint32_t leaf = static_cast<uint32_t>(cpu.reg(Reg::Rax));
  uint32_t sub = static_cast<uint32_t>(cpu.reg(Reg::Rcx));
  CpuidLeaf l = cpu.platform().cpuid->query(leaf, sub, cpu.apicId(), cpu.platform().cpuCount);
  cpu.setReg(Reg::Rax, l.eax);
  cpu.setReg(Reg::Rbx, l.ebx);
  cpu.setReg(Reg::Rcx, l.ecx);
  cpu.setReg(Reg::Rdx, l.edx);
  return 1;
}

bool Engine::onUnmapped(uc_engine*, uc_mem_type type, uint64_t addr, int size, int64_t, void* user) {
  auto* e = static_cast<Engine*>(user);
  e->noteUnmappedAccess(type, addr, size);
  // Unicorn leaves the block itself after an unmapped read or fetch; after a
  // write it only asks to stop, which a block without exit checks would not
  // see until its end. Leave now, as a read does.
  if (type == UC_MEM_WRITE_UNMAPPED && e->exitSwitch_) unicorn_exit_checks::leaveBlock(e->uc_);
  return false;
}

void Engine::noteUnmappedAccess(uc_mem_type type, uint64_t addr, int size) {
  EngineSettled settled(*this);
  UnmappedAccess a;
  a.write = type == UC_MEM_WRITE_UNMAPPED;
  a.fetch = type == UC_MEM_FETCH_UNMAPPED;
  a.address = addr;
  a.size = size;
  cpu_.noteUnmapped(a);
}

}  // namespace dlsim
