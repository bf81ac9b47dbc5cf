#include "cpu_model/unicorn_exit_checks.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "cpu_model/unicorn_build.h"

namespace dlsim::unicorn_exit_checks {

namespace {

// struct uc_struct offsets in Debian's libunicorn2t64 2.1.1-2+b2 (amd64).
constexpr size_t kCpuOffset = 0x1a0;            // CPUState* cpu
constexpr size_t kNoExitRequestOffset = 0x7da;  // bool no_exit_request
constexpr size_t kInitDoneOffset = 0x7db;       // bool init_done, right after it
constexpr unsigned kPinnedVersion = 0x020101;   // 2.1.1 (uc_version() >> 8)

using LoopExit = void (*)(void* cpu);

uint8_t* bytes(uc_engine* uc) { return reinterpret_cast<uint8_t*>(uc); }

void* cpuOf(uc_engine* uc) {
  void* cpu = nullptr;
  std::memcpy(&cpu, bytes(uc) + kCpuOffset, sizeof cpu);
  return cpu;
}

// Unicorn's own way out of a running block (cpu_loop_exit), exported by the
// library under its per-target name.
LoopExit loopExit() {
  static const LoopExit f = reinterpret_cast<LoopExit>(dlsym(RTLD_DEFAULT, "cpu_loop_exit_x86_64"));
  return f;
}

// A 32-bit probe engine: RAM at 0 (code at kCode), an MMIO page at kMmio
// whose stores ask the engine to stop, nothing mapped at 0x200000.
constexpr uint64_t kCode = 0x1000;
constexpr uint64_t kMmio = 0x10000;
// mov [kMmio], eax; mov ebx, 1; hlt
constexpr uint8_t kStoreToMmio[] = {0xa3, 0x00, 0x00, 0x01, 0x00, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xf4};
// mov [0x200000], eax; mov ebx, 1; hlt
constexpr uint8_t kStoreToHole[] = {0xa3, 0x00, 0x00, 0x20, 0x00, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xf4};

uint64_t mmioRead(uc_engine*, uint64_t, unsigned, void*) { return 0; }
void mmioWriteStops(uc_engine* uc, uint64_t, unsigned, uint64_t, void*) { uc_emu_stop(uc); }

bool holeLeaves(uc_engine* uc, uc_mem_type type, uint64_t, int, int64_t, void* hit) {
  if (type != UC_MEM_WRITE_UNMAPPED) return false;
  *static_cast<bool*>(hit) = true;
  leaveBlock(uc);
}

class ProbeEngine {
 public:
  explicit ProbeEngine(const uint8_t* code, size_t len) {
    if (uc_open(UC_ARCH_X86, UC_MODE_32, &uc_) != UC_ERR_OK) return;
    uc_ctl_set_tcg_buffer_size(uc_, 4u << 20);
    ok_ = uc_mem_map(uc_, 0, 0x4000, UC_PROT_ALL) == UC_ERR_OK &&
          uc_mmio_map(uc_, kMmio, 0x1000, mmioRead, nullptr, mmioWriteStops, nullptr) == UC_ERR_OK &&
          uc_mem_write(uc_, kCode, code, len) == UC_ERR_OK;
  }
  ~ProbeEngine() {
    if (uc_) uc_close(uc_);
  }
  ProbeEngine(const ProbeEngine&) = delete;
  ProbeEngine& operator=(const ProbeEngine&) = delete;

  // The private fields hold what a fresh engine must hold there.
  bool layoutLooksRight() const {
    return ok_ && bytes(uc_)[kInitDoneOffset] == 1 && bytes(uc_)[kNoExitRequestOffset] == 0 && cpuOf(uc_) != nullptr;
  }
  uc_engine* uc() const { return uc_; }
  // Runs from `from`; returns EBX afterwards, or -1 if the engine failed.
  int64_t runFrom(uint64_t from) {
    uint32_t ebx = 0;
    if (uc_reg_write(uc_, UC_X86_REG_EBX, &ebx) != UC_ERR_OK) return -1;
    const uc_err err = uc_emu_start(uc_, from, 0, 0, 0);
    if (err != UC_ERR_OK && err != UC_ERR_WRITE_UNMAPPED) return -1;
    if (uc_reg_read(uc_, UC_X86_REG_EBX, &ebx) != UC_ERR_OK) return -1;
    return ebx;
  }

 private:
  uc_engine* uc_ = nullptr;
  bool ok_ = false;
};

bool probe() {
  if ((uc_version(nullptr, nullptr) >> 8) != kPinnedVersion || loopExit() == nullptr) return false;
  {
    // With checks the MMIO store's stop lands before `mov ebx, 1`; without
    // them the block runs on to the HLT. This shows the byte is the switch.
    ProbeEngine checked(kStoreToMmio, sizeof kStoreToMmio);
    if (!checked.layoutLooksRight() || checked.runFrom(kCode) != 0) return false;
    ProbeEngine unchecked(kStoreToMmio, sizeof kStoreToMmio);
    if (!unchecked.layoutLooksRight()) return false;
    setSuppressed(unchecked.uc(), true);
    if (unchecked.runFrom(kCode) != 1) return false;
  }
  // Without checks, leaveBlock() stops a store to unmapped memory before the
  // next instruction, and the engine runs on normally afterwards.
  ProbeEngine hole(kStoreToHole, sizeof kStoreToHole);
  if (!hole.layoutLooksRight()) return false;
  bool hit = false;
  uc_hook h{};
  if (uc_hook_add(hole.uc(), &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(holeLeaves), &hit, 1, 0) != UC_ERR_OK)
    return false;
  setSuppressed(hole.uc(), true);
  if (hole.runFrom(kCode) != 0 || !hit) return false;
  return hole.runFrom(kCode + 5) == 1;
}

}  // namespace

static std::optional<bool>& forcedOffSetting() {
  static std::optional<bool> v;
  return v;
}

bool forcedOff() {
  auto& v = forcedOffSetting();
  if (!v) {
    const char* env = std::getenv("DLSIM_EXIT_CHECKS");
    v = env && std::strcmp(env, "off") == 0;
  }
  return *v;
}

void setForcedOff(bool off) { forcedOffSetting() = off; }

bool available() {
  if (forcedOff()) return false;
  static const bool ok = unicorn_build::isPinned() && probe();
  return ok;
}

void setSuppressed(uc_engine* uc, bool suppressed) { bytes(uc)[kNoExitRequestOffset] = suppressed ? 1 : 0; }

void leaveBlock(uc_engine* uc) {
  uc_emu_stop(uc);  // so the engine's loop ends instead of running on
  loopExit()(cpuOf(uc));
  std::abort();  // cpu_loop_exit does not return
}

}  // namespace dlsim::unicorn_exit_checks
