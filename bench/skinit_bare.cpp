// Bare Unicorn from the driver's first instruction to SKINIT (see the header).
#include "bench/skinit_bare.h"
#include "bench/host_clock.h"

#include <sys/mman.h>
#include <time.h>
#include <unicorn/unicorn.h>

#include <chrono>
#include <cstring>
#include <string>

#include "sim/errors.h"

namespace dlsim::bench {
namespace {

constexpr uint64_t kLapicPage = 0xFEE00000;

void check(uc_err err, const char* what) {
  if (err != UC_ERR_OK) throw InternalError(std::string("bare Unicorn (SKINIT driver): ") + what + ": " + uc_strerror(err));
}

void countOne(uc_engine*, uint64_t, uint32_t, void* user) { ++*static_cast<uint64_t*>(user); }

// One real-mode engine with its RAM; unmaps and closes on every path.
class RealModeEngine {
 public:
  RealModeEngine(const std::vector<FlatImage>& images, uint64_t ramBytes) : ramBytes_(ramBytes) {
    if (ramBytes == 0 || ramBytes % 4096 != 0 || ramBytes > kLapicPage)
      throw InternalError("bare Unicorn (SKINIT driver): RAM size " + std::to_string(ramBytes));
    void* p = mmap(nullptr, ramBytes + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw InternalError("bare Unicorn (SKINIT driver): mmap of guest RAM failed");
    ram_ = static_cast<uint8_t*>(p);
    check(uc_open(UC_ARCH_X86, UC_MODE_16, &uc_), "uc_open");
    check(uc_mem_map_ptr(uc_, 0, ramBytes, UC_PROT_ALL, ram_), "map RAM");
    check(uc_mem_map_ptr(uc_, kLapicPage, 4096, UC_PROT_READ | UC_PROT_WRITE, ram_ + ramBytes), "map the APIC page");
    for (const FlatImage& im : images) {
      if (im.address + im.bytes.size() > ramBytes)
        throw InternalError("bare Unicorn (SKINIT driver): image at " + std::to_string(im.address) +
                            " does not fit in its RAM");
      std::memcpy(ram_ + im.address, im.bytes.data(), im.bytes.size());
    }
    const uint32_t zero = 0;
    for (int reg : {UC_X86_REG_CS, UC_X86_REG_DS, UC_X86_REG_ES, UC_X86_REG_SS, UC_X86_REG_FS, UC_X86_REG_GS,
                    UC_X86_REG_EAX, UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_ESI,
                    UC_X86_REG_EDI, UC_X86_REG_EBP, UC_X86_REG_ESP})
      check(uc_reg_write(uc_, reg, &zero), "write a register");
    const uint32_t eflags = 0x2;
    check(uc_reg_write(uc_, UC_X86_REG_EFLAGS, &eflags), "write EFLAGS");
  }
  ~RealModeEngine() {
    if (uc_) uc_close(uc_);
    if (ram_) munmap(ram_, ramBytes_ + 4096);
  }
  RealModeEngine(const RealModeEngine&) = delete;
  RealModeEngine& operator=(const RealModeEngine&) = delete;

  uc_engine* uc() { return uc_; }

  // Runs from entry to until; checks it stopped there.
  void run(uint64_t entry, uint64_t until) {
    const uc_err err = uc_emu_start(uc_, entry, until, 0, 0);
    uint32_t eip = 0, cs = 0;
    uc_reg_read(uc_, UC_X86_REG_EIP, &eip);
    uc_reg_read(uc_, UC_X86_REG_CS, &cs);
    if (err != UC_ERR_OK)
      throw InternalError(std::string("bare Unicorn (SKINIT driver): guest stopped with ") + uc_strerror(err) +
                          " at CS:EIP " + std::to_string(cs) + ":" + std::to_string(eip));
    if (eip != until)  // flat protected mode by then: EIP is the linear address
      throw InternalError("bare Unicorn (SKINIT driver): run ended at EIP " + std::to_string(eip) +
                          ", not at SKINIT (" + std::to_string(until) + ")");
  }
  uint32_t eax() {
    uint32_t v = 0;
    uc_reg_read(uc_, UC_X86_REG_EAX, &v);
    return v;
  }

 private:
  uc_engine* uc_ = nullptr;
  uint8_t* ram_ = nullptr;
  uint64_t ramBytes_;
};

}  // namespace

BareDriverRun runBareDriverToSkinit(const std::vector<FlatImage>& images, uint64_t ramBytes, uint64_t entry,
                                    uint64_t until, bool countInstructions) {
  BareDriverRun r;
  {
    RealModeEngine e(images, ramBytes);
    const double c0 = threadCpuUs();
    const auto t0 = std::chrono::steady_clock::now();
    e.run(entry, until);
    const auto t1 = std::chrono::steady_clock::now();
    r.cpuUs = threadCpuUs() - c0;
    r.wallUs = std::chrono::duration<double, std::micro>(t1 - t0).count();
    r.eax = e.eax();
  }
  if (countInstructions) {
    RealModeEngine e(images, ramBytes);
    uc_hook h{};
    check(uc_hook_add(e.uc(), &h, UC_HOOK_CODE, reinterpret_cast<void*>(&countOne), &r.instructions, 1, 0),
          "add the counting hook");
    e.run(entry, until);
    if (e.eax() != r.eax) throw InternalError("bare Unicorn (SKINIT driver): the counted run's EAX differs");
  }
  return r;
}

}  // namespace dlsim::bench
