#include "cpu_model/unicorn_layout_probe.h"

#include <cstdint>

#include "cpu_model/segment_cache.h"
#include "cpu_model/unicorn_build.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim::unicorn_layout_probe {

namespace {

constexpr uint64_t kCode = 0x1000;
// mov ax, 0x38; mov ds, ax (#GP(0x38): the GDT limit is 7); the same again
// (#GP, not #DF, once the first is taken); int 0x21; hlt.
constexpr uint8_t kProbeCode[] = {0x66, 0xb8, 0x38, 0x00, 0x8e, 0xd8, 0x8e, 0xd8, 0xcd, 0x21, 0xf4};
constexpr uint64_t kSecondGp = kCode + 6, kInt21 = kCode + 8;

void stopAtInterrupt(uc_engine* uc, uint32_t intno, void* seen) {
  *static_cast<uint32_t*>(seen) = intno;
  uc_emu_stop(uc);
}

class ProbeEngine {
 public:
  ProbeEngine() {
    if (uc_open(UC_ARCH_X86, UC_MODE_32, &uc_) != UC_ERR_OK) return;
    uc_ctl_set_tcg_buffer_size(uc_, 4u << 20);
    uc_x86_mmr gdt{};
    gdt.limit = 7;
    uc_hook h{};
    ok_ = uc_mem_map(uc_, 0, 0x4000, UC_PROT_ALL) == UC_ERR_OK &&
          uc_mem_write(uc_, kCode, kProbeCode, sizeof kProbeCode) == UC_ERR_OK &&
          uc_reg_write(uc_, UC_X86_REG_GDTR, &gdt) == UC_ERR_OK &&
          uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(stopAtInterrupt), &seen_, 1, 0) == UC_ERR_OK &&
          uc_context_alloc(uc_, &scratch_) == UC_ERR_OK;
  }
  ~ProbeEngine() {
    if (scratch_) uc_context_free(scratch_);
    if (uc_) uc_close(uc_);
  }
  ProbeEngine(const ProbeEngine&) = delete;
  ProbeEngine& operator=(const ProbeEngine&) = delete;

  bool ok() const { return ok_; }
  uc_engine* uc() const { return uc_; }
  uc_context* scratch() const { return scratch_; }
  // Runs from `from` until an exception or interrupt stops it; its vector, or
  // ~0u when none came.
  uint32_t runToInterrupt(uint64_t from) {
    seen_ = ~0u;
    if (uc_emu_start(uc_, from, kCode + sizeof kProbeCode, 0, 0) != UC_ERR_OK) return ~0u;
    return seen_;
  }

 private:
  uc_engine* uc_ = nullptr;
  uc_context* scratch_ = nullptr;
  uint32_t seen_ = ~0u;
  bool ok_ = false;
};

std::optional<std::string> probeExceptionFields() {
  ProbeEngine e;
  if (!e.ok()) return "cannot open a probe engine";
  if (!contextHeaderLooksRight(e.uc()))
    return "the saved context's header or its exception-in-flight field is not where Unicorn 2.1.1 has them";
  uint32_t v = e.runToInterrupt(kCode);
  ExceptionInfo info = takeExceptionInfo(e.uc(), e.scratch());
  if (v != 13 || info.errorCode != 0x38 || info.software)
    return "#GP(0x38) read back as vector " + std::to_string(v) + ", error code " + hex(info.errorCode) +
           (info.software ? ", software" : ", not software") + " (error-code field offset)";
  v = e.runToInterrupt(kSecondGp);
  info = takeExceptionInfo(e.uc(), e.scratch());
  if (v != 13)
    return "a second #GP after one taken arrived as vector " + std::to_string(v) +
           " (exception-in-flight field offset)";
  v = e.runToInterrupt(kInt21);
  info = takeExceptionInfo(e.uc(), e.scratch());
  if (v != 0x21 || !info.software)
    return "INT 0x21 read back as vector " + std::to_string(v) + (info.software ? ", software" : ", not software") +
           " (INT-n flag offset)";
  return std::nullopt;
}

std::optional<std::string> probeSegmentCaches() {
  ProbeEngine e;
  if (!e.ok()) return "cannot open a probe engine";
  try {
    // readRawCpuState checks TR, GDTR, EAX, CR0, CR4 and PE against the API.
    const RawCpuState before = readRawCpuState(e.uc(), e.scratch());
    uint64_t eip = 0, cs = 0;
    uc_reg_read(e.uc(), UC_X86_REG_EIP, &eip);
    uc_reg_read(e.uc(), UC_X86_REG_CS, &cs);
    if ((before.rip & 0xffffffffu) != eip || before.segs[static_cast<int>(SegSlot::Cs)].selector != cs)
      return "EIP or CS in the saved state differ from the register API's";
    // A DS cache written through the saved state is what the API reads back.
    loadHiddenSegments(e.uc(), e.scratch(), {HiddenSegment{SegSlot::Ds, 0x10, 0x12340000, 0xfffff, 0x00cf9300}});
    uint64_t ds = 0;
    uc_reg_read(e.uc(), UC_X86_REG_DS, &ds);
    const HiddenSegment back = readHiddenSegment(e.uc(), e.scratch(), SegSlot::Ds);
    if (ds != 0x10 || back.base != 0x12340000 || back.limit != 0xfffff || back.flags != 0x00cf9300)
      return "a DS segment cache written to the saved state did not come back (segment cache offsets)";
  } catch (const InternalError& err) {
    return err.what();
  }
  return std::nullopt;
}

std::optional<std::optional<std::string>>& verdict() {
  static std::optional<std::optional<std::string>> v;
  return v;
}

}  // namespace

std::optional<std::string> probe() {
  if (auto failed = probeExceptionFields()) return failed;
  return probeSegmentCaches();
}

std::string refusal(const std::string& what) {
  const std::string id = unicorn_build::buildId();
  return "Unicorn " + unicorn_build::version() + " (build ID " + (id.empty() ? "unknown" : id) + ", " +
         (unicorn_build::isPinned() ? "the pinned " + unicorn_build::package()
                                    : std::string("not the pinned Debian libunicorn2t64 2.1.1 build")) +
         ") fails dlsim's start-up probe of the private CPU state it reads: " + what +
         ". dlsim does not run on it, as its results could differ; install Debian's libunicorn-dev 2.1.1 "
         "(scripts/setup.sh) or re-read the offsets for this build (cpu_model/unicorn_layout_probe.h)";
}

void require() {
  auto& v = verdict();
  if (!v) v = probe();
  if (*v) throw InternalError(refusal(**v));
}

ScopedContextOffsetsForTest::ScopedContextOffsetsForTest(const ContextOffsets& offsets) : saved_(contextOffsets()) {
  setContextOffsetsForTest(offsets);
  verdict().reset();
}

ScopedContextOffsetsForTest::~ScopedContextOffsetsForTest() {
  setContextOffsetsForTest(saved_);
  verdict().reset();
}

}  // namespace dlsim::unicorn_layout_probe
