// Bare Unicorn runner (see the header). Protected mode is set up the way a
// multiboot loader leaves it, but through the engine's own segment loading:
// GDTR is written first, then each selector, so Unicorn reads the descriptor
// from guest memory and fills the hidden base/limit/attributes as a real CPU
// would (a UC_MODE_32 engine already has CR0.PE set).
#include "bench/bare_unicorn.h"
#include "bench/host_clock.h"

#include <sys/mman.h>
#include <time.h>
#include <unicorn/unicorn.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <span>
#include <string>

#include "bench/bench_guest.h"
#include "bench/block_counter.h"
#include "cpu_model/unicorn_exit_checks.h"
#include "sim/errors.h"

namespace dlsim {
namespace {

using bench::threadCpuSeconds;

void check(uc_err err, const char* what) {
  if (err != UC_ERR_OK) throw InternalError(std::string("bare Unicorn: ") + what + ": " + uc_strerror(err));
}

// One engine with its RAM; unmaps and closes on every path.
class BareEngine {
 public:
  BareEngine(const std::vector<uint8_t>& image, uint64_t loadAddr, uint64_t entry, uint64_t ramBytes)
      : ramBytes_(ramBytes), entry_(entry) {
    if (ramBytes == 0 || ramBytes % 4096 != 0)
      throw InternalError("bare Unicorn: RAM size " + std::to_string(ramBytes) + " is not a multiple of 4 KiB");
    if (loadAddr < kBareGdtAddr + 64 || loadAddr + image.size() > ramBytes)
      throw InternalError("bare Unicorn: image at " + std::to_string(loadAddr) + " (+" +
                          std::to_string(image.size()) + " bytes) does not fit between the GDT and the RAM end");
    void* p = mmap(nullptr, ramBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw InternalError("bare Unicorn: mmap of guest RAM failed");
    ram_ = static_cast<uint8_t*>(p);
    check(uc_open(UC_ARCH_X86, UC_MODE_32, &uc_), "uc_open");
    check(uc_mem_map_ptr(uc_, 0, ramBytes, UC_PROT_ALL, ram_), "uc_mem_map_ptr");
    std::memcpy(ram_ + loadAddr, image.data(), image.size());
    setFlatProtectedMode();
  }
  ~BareEngine() {
    if (uc_) uc_close(uc_);
    if (ram_) munmap(ram_, ramBytes_);
  }
  BareEngine(const BareEngine&) = delete;
  BareEngine& operator=(const BareEngine&) = delete;

  uc_engine* uc() { return uc_; }
  const uint8_t* ram() const { return ram_; }

  // Runs to HLT; returns the host seconds spent in uc_emu_start (and the
  // thread's CPU seconds in cpuSeconds()).
  double runToHalt() {
    const double c0 = threadCpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    const uc_err err = uc_emu_start(uc_, entry_, 0, 0, 0);
    const auto t1 = std::chrono::steady_clock::now();
    cpuSeconds_ = threadCpuSeconds() - c0;
    uint32_t eip = 0;
    uc_reg_read(uc_, UC_X86_REG_EIP, &eip);
    if (err != UC_ERR_OK)
      throw InternalError(std::string("bare Unicorn: guest stopped with ") + uc_strerror(err) + " at EIP " +
                          std::to_string(eip));
    if (eip == 0 || eip > ramBytes_ || ram_[eip - 1] != 0xF4)
      throw InternalError("bare Unicorn: run ended at EIP " + std::to_string(eip) + ", not just past a HLT");
    finalEip_ = eip;
    return std::chrono::duration<double>(t1 - t0).count();
  }

  std::vector<uint8_t> result() const {
    auto r = parseResultBlock(std::span<const uint8_t>(ram_ + BENCH_RESULT_BLOCK_ADDR, kResultBlockBytes));
    if (!r) throw InternalError("bare Unicorn: the guest halted without writing its result block");
    return *r;
  }
  uint64_t finalEip() const { return finalEip_; }
  double cpuSeconds() const { return cpuSeconds_; }

 private:
  void setFlatProtectedMode() {
    // null; code: base 0, limit 4 GiB, 32-bit, execute/read, DPL 0;
    // data: base 0, limit 4 GiB, 32-bit, read/write, DPL 0.
    const uint64_t gdt[3] = {0, 0x00CF9A000000FFFFull, 0x00CF92000000FFFFull};
    std::memcpy(ram_ + kBareGdtAddr, gdt, sizeof gdt);
    uc_x86_mmr gdtr{};
    gdtr.base = kBareGdtAddr;
    gdtr.limit = sizeof gdt - 1;
    check(uc_reg_write(uc_, UC_X86_REG_GDTR, &gdtr), "write GDTR");
    const uint32_t code = 0x08, data = 0x10;
    for (int reg : {UC_X86_REG_DS, UC_X86_REG_ES, UC_X86_REG_SS, UC_X86_REG_FS, UC_X86_REG_GS})
      check(uc_reg_write(uc_, reg, &data), "load a data segment");
    check(uc_reg_write(uc_, UC_X86_REG_CS, &code), "load CS");
    const uint32_t magic = 0x2BADB002, zero = 0, eflags = 0x2;
    check(uc_reg_write(uc_, UC_X86_REG_EAX, &magic), "write EAX");
    check(uc_reg_write(uc_, UC_X86_REG_EBX, &zero), "write EBX");
    check(uc_reg_write(uc_, UC_X86_REG_EFLAGS, &eflags), "write EFLAGS");
  }

  uc_engine* uc_ = nullptr;
  uint8_t* ram_ = nullptr;
  uint64_t ramBytes_;
  uint64_t entry_;
  uint64_t finalEip_ = 0;
  double cpuSeconds_ = 0;
};

void countOne(uc_engine*, uint64_t, uint32_t, void* user) { ++*static_cast<uint64_t*>(user); }

// Kept out of line so the call really happens.
[[gnu::noinline]] void emptyBlockHook(uc_engine*, uint64_t, uint32_t, void*) { asm volatile(""); }

}  // namespace

BareResult runBareUnicorn(const std::vector<uint8_t>& flatImage, uint64_t loadAddr, uint64_t entry,
                          uint64_t ramBytes, bool countInstructions) {
  BareResult r;
  {
    BareEngine engine(flatImage, loadAddr, entry, ramBytes);
    r.seconds = engine.runToHalt();
    r.cpuSeconds = engine.cpuSeconds();
    r.result = engine.result();
    r.finalEip = engine.finalEip();
  }
  if (countInstructions) {
    BareEngine engine(flatImage, loadAddr, entry, ramBytes);
    uint64_t count = 0;
    uc_hook hook = 0;
    check(uc_hook_add(engine.uc(), &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&countOne), &count, 1, 0),
          "add counting code hook");
    engine.runToHalt();
    if (engine.result() != r.result)
      throw InternalError("bare Unicorn: the counting run produced " + benchHex(engine.result()) +
                          ", the timed run " + benchHex(r.result));
    r.instructions = count;
  }
  return r;
}

BareResult runBareUnicornWithEmptyBlockHook(const std::vector<uint8_t>& flatImage, uint64_t loadAddr, uint64_t entry,
                                            uint64_t ramBytes) {
  BareResult r;
  BareEngine engine(flatImage, loadAddr, entry, ramBytes);
  uc_hook hook = 0;
  check(uc_hook_add(engine.uc(), &hook, UC_HOOK_BLOCK, reinterpret_cast<void*>(&emptyBlockHook), nullptr, 1, 0),
        "add empty block hook");
  r.seconds = engine.runToHalt();
  r.cpuSeconds = engine.cpuSeconds();
  r.result = engine.result();
  r.finalEip = engine.finalEip();
  return r;
}

BareResult runBareUnicornWithoutExitChecks(const std::vector<uint8_t>& flatImage, uint64_t loadAddr, uint64_t entry,
                                           uint64_t ramBytes) {
  if (!unicorn_exit_checks::available())
    throw InternalError("bare Unicorn: this Unicorn did not pass the exit-check switch's probes");
  BareResult r;
  BareEngine engine(flatImage, loadAddr, entry, ramBytes);
  unicorn_exit_checks::setSuppressed(engine.uc(), true);
  r.seconds = engine.runToHalt();
  r.cpuSeconds = engine.cpuSeconds();
  r.result = engine.result();
  r.finalEip = engine.finalEip();
  return r;
}

BareResult runBareUnicornWithCountingBlockHook(const std::vector<uint8_t>& flatImage, uint64_t loadAddr,
                                               uint64_t entry, uint64_t ramBytes) {
  BareResult r;
  BareEngine engine(flatImage, loadAddr, entry, ramBytes);
  auto counter = std::make_unique<BlockCounter>(engine.ram(), ramBytes);
  uc_hook hook = 0;
  check(uc_hook_add(engine.uc(), &hook, UC_HOOK_BLOCK, reinterpret_cast<void*>(&BlockCounter::onBlock),
                    counter.get(), 1, 0),
        "add counting block hook");
  try {
    r.seconds = engine.runToHalt();
  } catch (const InternalError&) {
    if (counter->failedAt() != ~0ull)
      throw InternalError("bare Unicorn + counting block hook: a block at " + std::to_string(counter->failedAt()) +
                          " lies outside RAM");
    throw;
  }
  r.cpuSeconds = engine.cpuSeconds();
  r.result = engine.result();
  r.finalEip = engine.finalEip();
  r.instructions = counter->instructions();
  return r;
}

}  // namespace dlsim
