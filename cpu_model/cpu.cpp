#include "cpu_model/cpu.h"

#include <cstring>

#include "cpu_model/capstone_regs.h"
#include "cpu_model/engine.h"
#include "cpu_model/exception_names.h"
#include "cpu_model/fault_locator.h"
#include "cpu_model/segment_cache.h"
#include "cpu_model/segments.h"
#include "sim/snapshot/code_page_watch.h"
#include "cpu_model/unicorn_context.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/host_probe.h"

namespace dlsim {

namespace {
// uc_emu_start's `until`: an address no code lives at, so no exit check costs
// a re-translation of hot code (see the Unicorn notes).
constexpr uint64_t kNoUntil = 0xfffffffffffff000ull;
constexpr uint32_t kEferMsr = 0xc0000080;

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
}  // namespace

Cpu::Cpu(int index, uint32_t apicId, CpuPlatform& platform) : index_(index), apicId_(apicId), platform_(platform) {
  engine32_ = std::make_unique<Engine>(*this, false);
  active_ = engine32_.get();
  for (auto [bits, mode, handle] : {std::tuple{16, CS_MODE_16, &cs16_}, std::tuple{32, CS_MODE_32, &cs32_},
                                    std::tuple{64, CS_MODE_64, &cs64_}}) {
    (void)bits;
    if (cs_open(CS_ARCH_X86, mode, handle) != CS_ERR_OK) throw InternalError("Capstone: cs_open failed");
    cs_option(*handle, CS_OPT_DETAIL, CS_OPT_ON);
  }
  // Power-on state of an x86 CPU, as far as the guest can see it.
  setReg(Reg::Cr0, 0x10);
}

Cpu::~Cpu() {
  unwatchMonitor();
  for (csh* h : {&cs16_, &cs32_, &cs64_})
    if (*h) cs_close(h);
}

csh Cpu::capstone(int bits) { return bits == 64 ? cs64_ : bits == 32 ? cs32_ : cs16_; }

Engine& Cpu::engineFor(bool wide) {
  if (!wide) return *engine32_;
  if (!engine64_) engine64_ = std::make_unique<Engine>(*this, true);
  return *engine64_;
}

// ---- registers ----------------------------------------------------------------

uint64_t Cpu::reg(Reg r) {
  int id = ucRegId(r, active_->wide());
  if (id < 0) return 0;
  uint64_t v = 0;
  uc_reg_read(active_->uc(), id, &v);
  if (!active_->wide() && r != Reg::Cs && r != Reg::Ds && r != Reg::Es && r != Reg::Fs && r != Reg::Gs &&
      r != Reg::Ss)
    v &= 0xffffffffull;
  if (r >= Reg::Cs) v &= 0xffff;
  return v;
}

void Cpu::setReg(Reg r, uint64_t value) {
  int id = ucRegId(r, active_->wide());
  if (id < 0) return;
  uc_reg_write(active_->uc(), id, &value);
}

void Cpu::setCapstoneReg(unsigned capstoneReg, uint64_t value) {
  auto g = capstoneGpr(capstoneReg);
  if (!g) return;
  if (g->bytes == 8) setReg(g->reg, value);
  else if (g->bytes == 4) setReg(g->reg, value & 0xffffffffull);  // 32-bit writes zero-extend
  else setReg(g->reg, (reg(g->reg) & ~0xffffull) | (value & 0xffff));
}

bool Cpu::isEngineMsr(uint32_t msr) {
  switch (msr) {
    case 0x174: case 0x175: case 0x176:                 // SYSENTER_CS/ESP/EIP
    case 0x277:                                         // PAT
    case 0xc0000080: case 0xc0000081: case 0xc0000082:  // EFER, STAR, LSTAR
    case 0xc0000083: case 0xc0000084:                   // CSTAR, FMASK
    case 0xc0000100: case 0xc0000101: case 0xc0000102:  // FS/GS/KERNEL_GS base
      return true;
    default:
      return false;
  }
}

uint64_t Cpu::engineMsr(uint32_t msr) {
  uc_x86_msr m{msr, 0};
  uc_reg_read(active_->uc(), UC_X86_REG_MSR, &m);
  return m.value;
}

void Cpu::setEngineMsr(uint32_t msr, uint64_t value) {
  uc_x86_msr m{msr, value};
  uc_reg_write(active_->uc(), UC_X86_REG_MSR, &m);
}

uint64_t Cpu::efer() { return engineMsr(kEferMsr); }

uint64_t softwareEferBits(const CpuidProfile* cpuid) {
  // SCE, LME, LMA (writes ignored: CR0.PG sets it), NXE; SVME where CPUID
  // reports SVM (APM vol. 2 3.1.7: reserved bits #GP).
  uint64_t bits = (1ull << 0) | (1ull << 8) | (1ull << 10) | (1ull << 11);
  if (cpuid && cpuid->has("svm")) bits |= 1ull << 12;
  return bits;
}

std::optional<uint64_t> Cpu::readMsr(uint32_t msr) {
  if (const MsrRange* r = platform_.msrs->find(msr)) {
    if (r->read) {
      if (auto v = r->read(index_, msr)) return v;
    }
    platform_.event("CPU " + std::to_string(index_) + ": RDMSR " + hex(msr) + " (" + r->owner + ") raised #GP");
    return std::nullopt;
  }
  if (isEngineMsr(msr)) return engineMsr(msr);
  platform_.event("CPU " + std::to_string(index_) + ": RDMSR of unimplemented MSR " + hex(msr) + " raised #GP");
  return std::nullopt;
}

bool Cpu::writeMsr(uint32_t msr, uint64_t value) {
  if (const MsrRange* r = platform_.msrs->find(msr)) {
    if (r->write && r->write(index_, msr, value)) return true;
    platform_.event("CPU " + std::to_string(index_) + ": WRMSR " + hex(msr) + " <- " + hex(value) + " (" + r->owner +
                    ") raised #GP");
    return false;
  }
  if (const uint64_t reserved = msr == kEferMsr ? value & ~softwareEferBits(platform_.cpuid) : 0) {
    // The engine would drop reserved bits silently; the CPU raises #GP.
    platform_.event("CPU " + std::to_string(index_) + ": WRMSR EFER <- " + hex(value) + " sets reserved bits " +
                    hex(reserved) + ", raised #GP");
    return false;
  }
  if (isEngineMsr(msr)) {
    setEngineMsr(msr, value);
    return true;
  }
  platform_.event("CPU " + std::to_string(index_) + ": WRMSR of unimplemented MSR " + hex(msr) + " <- " +
                  hex(value) + " raised #GP");
  return false;
}

// ---- memory -------------------------------------------------------------------

PagingRegs Cpu::pagingRegs() { return PagingRegs{reg(Reg::Cr0), reg(Reg::Cr3), reg(Reg::Cr4), efer()}; }

std::optional<uint64_t> Cpu::translate(uint64_t linear, Access a, uint32_t* pfError) {
  uint64_t cr0 = reg(Reg::Cr0);
  if (!(cr0 & (1ull << 31))) return linear & 0xffffffffull;
  GuestMemory& mem = *platform_.memory;
  WalkResult w = walkPage(pagingRegs(), linear, a, [&](uint64_t gpa, uint64_t& out) {
    out = 0;
    return mem.read(gpa, &out, 8);
  });
  if (!w.ok) {
    if (pfError) *pfError = w.pfErrorCode;
    return std::nullopt;
  }
  return w.physical;
}

bool Cpu::readLinear(uint64_t linear, void* dst, size_t len) {
  auto* out = static_cast<uint8_t*>(dst);
  while (len > 0) {
    size_t chunk = std::min<size_t>(len, 4096 - (linear & 4095));
    auto phys = translate(linear, Access::Read);
    if (!phys || !platform_.memory->read(*phys, out, chunk)) return false;
    linear += chunk;
    out += chunk;
    len -= chunk;
  }
  return true;
}

bool Cpu::writeLinear(uint64_t linear, const void* src, size_t len) {
  auto* in = static_cast<const uint8_t*>(src);
  while (len > 0) {
    size_t chunk = std::min<size_t>(len, 4096 - (linear & 4095));
    auto phys = translate(linear, Access::Write);
    if (!phys || !platform_.memory->write(*phys, in, chunk)) return false;
    linear += chunk;
    in += chunk;
    len -= chunk;
  }
  return true;
}

int Cpu::codeBits() { return readRawCpuState(active_->uc(), active_->scratch()).codeBits(); }

uint64_t Cpu::codeLinear(uint64_t ip) { return segmentBase(*this, Reg::Cs) + ip; }

// ---- platform events ------------------------------------------------------------

void Cpu::requestStop(RunExit exit) {
  if (!stopRequested_) {
    stopRequested_ = true;
    requestedExit_ = std::move(exit);
  }
  if (active_->inDeviceAccess()) {
    active_->endQuantum();  // lands at the next block start (Engine::inDeviceAccess)
    return;
  }
  uc_emu_stop(active_->uc());
}

void Cpu::noteException(uint32_t intno) {
  pending_ = PendingException{intno, std::nullopt, false, false};
  uc_emu_stop(active_->uc());
}

void Cpu::raiseException(uint32_t vector, std::optional<uint32_t> errorCode) {
  pending_ = PendingException{vector, errorCode, false, false};
  pendingFromModel_ = true;
}

void Cpu::init() {
  state_ = CpuState::WaitForSipi;
  disarmMonitor();
  pending_.reset();
}

void Cpu::startup(uint8_t vector) {
  if (state_ != CpuState::WaitForSipi) return;
  // Real mode at vector:0000 with the rest of the state as after INIT.
  active_ = engine32_.get();
  setReg(Reg::Cr0, 0x10);
  setReg(Reg::Cr4, 0);
  setReg(Reg::Cr3, 0);
  setEngineMsr(kEferMsr, 0);
  uc_x86_mmr idtr{0, 0, 0xffff, 0};  // reset value
  uc_reg_write(active_->uc(), UC_X86_REG_IDTR, &idtr);
  uc_x86_mmr gdtr{0, 0, 0xffff, 0};
  uc_reg_write(active_->uc(), UC_X86_REG_GDTR, &gdtr);
  for (Reg r : {Reg::Rax, Reg::Rbx, Reg::Rcx, Reg::Rdx, Reg::Rsi, Reg::Rdi, Reg::Rbp, Reg::Rsp}) setReg(r, 0);
  setReg(Reg::Rflags, 2);
  setReg(Reg::Cs, static_cast<uint64_t>(vector) << 8);
  for (Reg r : {Reg::Ds, Reg::Es, Reg::Fs, Reg::Gs, Reg::Ss}) setReg(r, 0);
  setReg(Reg::Rip, 0);
  uc_ctl_flush_tlb(active_->uc());
  state_ = CpuState::Running;
}

void Cpu::wake() {
  if (state_ == CpuState::Halted || state_ == CpuState::Mwait) {
    state_ = CpuState::Running;
    disarmMonitor();
  }
}

void Cpu::armMonitor(uint64_t physical) {
  monitorAddr_ = physical;
  monitorArmed_ = true;
  std::memset(monitorLine_, 0, sizeof monitorLine_);
  platform_.memory->read(physical & ~63ull, monitorLine_, 64);
  watchMonitor();
}

void Cpu::disarmMonitor() {
  monitorArmed_ = false;
  unwatchMonitor();
}

// Same-value stores do not change the line: the code-page watch counts the
// stores themselves.
void Cpu::watchMonitor() {
  unwatchMonitor();
  CodePageWatch* w = platform_.codeWatch;
  if (!w || !platform_.memory->contains(monitorAddr_)) return;
  monitorWatch_ = w->watchLine(monitorAddr_);
  monitorWrites_ = w->lineWrites(monitorWatch_);
}

void Cpu::unwatchMonitor() {
  if (monitorWatch_ >= 0 && platform_.codeWatch) platform_.codeWatch->unwatchLine(monitorWatch_);
  monitorWatch_ = -1;
}

bool Cpu::monitorTriggered() const {
  if (!monitorArmed_) return false;
  uint8_t now[64] = {};
  platform_.memory->read(monitorAddr_ & ~63ull, now, 64);
  if (std::memcmp(now, monitorLine_, 64) != 0) return true;
  return monitorWatch_ >= 0 && platform_.codeWatch->lineWrites(monitorWatch_) != monitorWrites_;
}

uint64_t Cpu::nextRandom() {
  return splitmix64(platform_.seed ^ (static_cast<uint64_t>(index_) << 48) ^ splitmix64(randomCounter_++));
}

void Cpu::endQuantum() {
  if (active_) active_->endQuantum();
}

void Cpu::invalidateCode(uint64_t gpa, uint64_t len) {
  engine32_->invalidatePhysical(gpa, len);
  if (engine64_) engine64_->invalidatePhysical(gpa, len);
}

// ---- special instructions ------------------------------------------------------------

InsnOutcome Cpu::handleSpecial(const DecodedInsn& insn) {
  const InsnHandler* h = platform_.special->find(insn.id);
  if (!h) return InsnOutcome::RaiseUD;
  HostProbeNamedScope probe("intercept", [this, &insn] { return cs_insn_name(capstone(32), insn.id); });
  const uint64_t next = ip() + insn.length;
  ++platform_.intercepted;
  // The block was counted whole when it started. Whatever the outcome, the
  // instructions after this one do not run in this block (writing the IP in a
  // hook ends it; they are counted again as a new block if they run), so take
  // them back now: the handler then sees exact virtual time (RDTSC).
  const uint32_t after = insn.afterInBlock >= 0 ? static_cast<uint32_t>(insn.afterInBlock)
                                                : active_->instructionsNotRun(insn.address + insn.length);
  platform_.time -= after;
  const std::optional<InsnOutcome> guarded = platform_.special->guard(*this, insn);
  InsnOutcome o = guarded ? *guarded : (*h)(*this, insn);
  switch (o) {
    case InsnOutcome::Done:
      setIp(next);
      break;
    case InsnOutcome::Jumped:
      break;
    case InsnOutcome::Yield: {
      setIp(next);
      RunExit e;
      e.kind = state_ == CpuState::Running ? RunExit::Yield : RunExit::Sleep;
      requestStop(e);
      break;
    }
    case InsnOutcome::RaiseGP:
    case InsnOutcome::RaiseUD: {
      platform_.time -= 1;  // the faulting instruction does not retire
      pending_ = PendingException{o == InsnOutcome::RaiseGP ? 13u : 6u,
                                  o == InsnOutcome::RaiseGP ? std::optional<uint32_t>(0) : std::nullopt, false, false};
      pendingFromModel_ = true;
      uc_emu_stop(active_->uc());
      break;
    }
    case InsnOutcome::Stop: {
      RunExit e;
      e.kind = state_ == CpuState::Running ? RunExit::Yield : RunExit::Sleep;
      requestStop(e);
      break;
    }
  }
  return o;
}

// ---- the run loop ------------------------------------------------------------------

void Cpu::syncEngine() {
  const bool wantWide = inLongMode();
  if (wantWide == active_->wide()) return;
  Engine& from = *active_;
  Engine& to = engineFor(wantWide);
  uc_context_save(from.uc(), from.scratch());
  // Contexts of the two engines have the same layout (one CPUX86State).
  uc_context_restore(to.uc(), from.scratch());
  uc_ctl_flush_tlb(to.uc());
  active_ = &to;
}

// Per-CPU retired instructions are the virtual time that passes while this
// CPU runs (every correction to the count is made to virtual time).
RunExit Cpu::run(uint64_t blocks, uint64_t stopTime) {
  const uint64_t start = platform_.time;
  struct InRun {
    bool& flag;
    ~InRun() { flag = false; }
  } inRun{inRun_ = true};
  RunExit exit = runQuantum(blocks, stopTime);
  retired_ += platform_.time - start;
  return exit;
}

RunExit Cpu::runQuantum(uint64_t blocks, uint64_t stopTime) {
  RunExit exit;
  stopRequested_ = false;
  platform_.traceHash = foldTrace(platform_.traceHash, 0x5c0000000000ull | static_cast<uint64_t>(index_));
  if (CodePageWatch* w = platform_.codeWatch) {
    // Every quantum runs with all code pages write-protected, and sees the
    // code other CPUs (or this one) changed since it last ran.
    w->rearm();
    engine32_->validateCode();
    if (engine64_) engine64_->validateCode();
  }
  if (state_ == CpuState::Running) deliverInterrupts();
  if (state_ != CpuState::Running) {
    exit.kind = RunExit::Sleep;
    return exit;
  }
  uint64_t left = blocks;
  while (true) {
    syncEngine();
    if (pending_) {
      deliverPending();
      if (stopRequested_) return requestedExit_;
    }
    Engine& e = *active_;
    e.restartRequested = false;
    unmapped_.reset();
    e.setQuantum(left, stopTime);
    uc_err err = uc_emu_start(e.uc(), ip(), kNoUntil, 0, 0);
    e.settle();
    left = e.blocksLeft();
    if (unmapped_ || err == UC_ERR_READ_UNMAPPED || err == UC_ERR_WRITE_UNMAPPED || err == UC_ERR_FETCH_UNMAPPED) {
      exit.kind = RunExit::MachineStop;
      uint64_t addr = unmapped_ ? unmapped_->address : 0;
      // Unicorn leaves the IP at the block start, or at an instruction of
      // the block before which it wrote it back (a CPUID): find the one.
      uint64_t blockAddr = 0;
      uint32_t blockSize = 0, blockInsns = 0;
      const uint64_t from = codeLinear(ip());
      if (unmapped_ && !unmapped_->fetch && active_->currentBlock(blockAddr, blockSize, blockInsns) &&
          from >= blockAddr && from < blockAddr + blockSize) {
        if (auto f = locateMemoryFault(*this, blockAddr, blockSize, from, addr)) {
          setIp(ip() + (f->address - from));
          uint32_t notRun = blockInsns - f->index;
          platform_.time -= notRun;
        }
      }
      const char* what = unmapped_ ? (unmapped_->fetch ? "fetch from" : unmapped_->write ? "write to" : "read from")
                                   : "access to";
      uint64_t at = codeLinear(ip());
      exit.stop = StopInfo{stop_reason::kUnmappedAccess, index_, at,
                           "CPU " + std::to_string(index_) + " at " + hex(at) + ": " + what + " unmapped address " +
                               hex(addr) + (unmapped_ ? " (" + std::to_string(unmapped_->size) + " bytes)" : "")};
      return exit;
    }
    if (err != UC_ERR_OK) {
      exit.kind = RunExit::MachineStop;
      uint64_t at = codeLinear(ip());
      exit.stop = StopInfo{stop_reason::kGuestError, index_, at,
                           "CPU " + std::to_string(index_) + " at " + hex(at) + ": " + uc_strerror(err)};
      return exit;
    }
    if (pending_) {
      if (!pendingFromModel_) {
        ExceptionInfo info = takeExceptionInfo(active_->uc(), active_->scratch());
        pending_->software = info.software;
        if (!info.software && exceptionHasErrorCode(pending_->vector)) pending_->errorCode = info.errorCode;
        if (!info.software) {
          uint32_t notRun = active_->instructionsNotRun(codeLinear(ip()));
          platform_.time -= notRun;
        }
      }
      pendingFromModel_ = false;
      if (stopRequested_ && requestedExit_.kind == RunExit::MachineStop) return requestedExit_;
      continue;  // delivered at the top of the loop
    }
    if (stopRequested_) return requestedExit_;
    if (e.restartRequested) {
      e.restartRequested = false;
      continue;
    }
    if (left == 0 || platform_.time >= stopTime) return exit;  // quantum or budget used
    // Unicorn returned by itself: HLT executed natively (not yet discovered).
    uint8_t b = 0;
    uint64_t at = codeLinear(ip());
    if (readLinear(at - 1, &b, 1) && b == 0xf4) {
      state_ = CpuState::Halted;
      exit.kind = RunExit::Sleep;
      return exit;
    }
    exit.kind = RunExit::MachineStop;
    exit.stop = StopInfo{stop_reason::kGuestError, index_, at,
                         "CPU " + std::to_string(index_) + ": the engine stopped unexpectedly at " + hex(at)};
    return exit;
  }
}

std::string Cpu::modeName() {
  if (!(reg(Reg::Cr0) & 1)) return "real";
  if (inLongMode()) return "long";
  return "protected";
}

CpuObservation Cpu::observe() {
  syncEngine();
  CpuObservation o;
  o.id = index_;
  o.state = state_ == CpuState::ModelSleep ? modelSleep_ : cpuStateName(state_);
  o.mode = modeName();
  o.monitorArmed = monitorArmed_;
  o.monitorAddress = monitorAddr_;
  for (Reg r : allRegs()) {
    if (ucRegId(r, active_->wide()) < 0) continue;
    o.registers[regName(r)] = reg(r);
  }
  o.registers["efer"] = efer();
  o.instructions = retired_;
  o.exceptionChain = exceptionChain_;
  return o;
}

// ---- snapshots ---------------------------------------------------------------------

struct Cpu::Saved {
  bool wide = false;
  std::shared_ptr<uc_context> context;
  CpuState state = CpuState::Running;
  std::optional<PendingException> pending;
  bool monitorArmed = false;
  uint64_t monitorAddr = 0;
  uint8_t monitorLine[64] = {};
  uint64_t retired = 0, randomCounter = 0;
  std::vector<std::string> exceptionChain;
  std::string modelSleep;
  std::function<bool(Cpu&)> modelWake;
  bool gif = true;
};

std::shared_ptr<Cpu::Saved> Cpu::save() {
  syncEngine();
  auto s = std::make_shared<Saved>();
  s->wide = active_->wide();
  uc_context* ctx = nullptr;
  if (uc_context_alloc(active_->uc(), &ctx) != UC_ERR_OK) throw InternalError("Unicorn: context alloc failed");
  s->context = std::shared_ptr<uc_context>(ctx, [](uc_context* c) { uc_context_free(c); });
  uc_context_save(active_->uc(), ctx);
  s->state = state_;
  s->pending = pending_;
  s->monitorArmed = monitorArmed_;
  s->monitorAddr = monitorAddr_;
  std::memcpy(s->monitorLine, monitorLine_, 64);
  s->retired = retired_;
  s->randomCounter = randomCounter_;
  s->exceptionChain = exceptionChain_;
  s->modelSleep = modelSleep_;
  s->modelWake = modelWake_;
  s->gif = gif_;
  return s;
}

void Cpu::restore(const Saved& s) {
  active_ = &engineFor(s.wide);
  uc_context_restore(active_->uc(), s.context.get());
  uc_ctl_flush_tlb(active_->uc());
  state_ = s.state;
  pending_ = s.pending;
  monitorArmed_ = s.monitorArmed;
  monitorAddr_ = s.monitorAddr;
  std::memcpy(monitorLine_, s.monitorLine, 64);
  if (monitorArmed_) watchMonitor();  // counts stores from now on
  else unwatchMonitor();
  retired_ = s.retired;
  randomCounter_ = s.randomCounter;
  exceptionChain_ = s.exceptionChain;
  modelSleep_ = s.modelSleep;
  modelWake_ = s.modelWake;
  gif_ = s.gif;
  stopRequested_ = false;
}

}  // namespace dlsim
