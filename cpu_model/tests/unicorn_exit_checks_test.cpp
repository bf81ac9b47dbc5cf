// The exit-check switch on real engines of the pinned Unicorn: what a stop
// asked for by a memory callback does with and without the checks, and that
// leaveBlock() makes a store to unmapped memory stop where it stands.
#include "cpu_model/unicorn_exit_checks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace dlsim {
namespace {

namespace checks = unicorn_exit_checks;

constexpr uint64_t kCode = 0x2000;
constexpr uint64_t kStopPage = 0x40000;  // MMIO: a store asks the engine to stop

// mov [addr], eax; mov ebx, 1; mov ecx, 2; hlt
std::vector<uint8_t> storeThenTwoMovs(uint32_t addr) {
  std::vector<uint8_t> c = {0xa3};
  for (int i = 0; i < 4; ++i) c.push_back(static_cast<uint8_t>(addr >> (8 * i)));
  for (uint8_t b : {0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x02, 0x00, 0x00, 0x00, 0xf4}) c.push_back(b);
  return c;
}

struct Engine32 {
  uc_engine* uc = nullptr;
  explicit Engine32(const std::vector<uint8_t>& code) {
    EXPECT_EQ(uc_open(UC_ARCH_X86, UC_MODE_32, &uc), UC_ERR_OK);
    EXPECT_EQ(uc_mem_map(uc, 0, 0x10000, UC_PROT_ALL), UC_ERR_OK);
    EXPECT_EQ(uc_mmio_map(
                  uc, kStopPage, 0x1000, [](uc_engine*, uint64_t, unsigned, void*) -> uint64_t { return 0; }, nullptr,
                  [](uc_engine* u, uint64_t, unsigned, uint64_t, void*) { uc_emu_stop(u); }, nullptr),
              UC_ERR_OK);
    EXPECT_EQ(uc_mem_write(uc, kCode, code.data(), code.size()), UC_ERR_OK);
  }
  ~Engine32() { uc_close(uc); }
  uint32_t reg(int r) {
    uint32_t v = 0;
    uc_reg_read(uc, r, &v);
    return v;
  }
};

TEST(UnicornExitChecks, ThePinnedUnicornPassesTheProbes) {
  EXPECT_TRUE(checks::available())
      << "the exit-check switch's probes failed on this Unicorn build: the offsets in "
         "cpu_model/unicorn_exit_checks.cpp are those of Debian's libunicorn2t64 2.1.1-2+b2. dlsim still runs "
         "correctly, with Unicorn's exit checks, at about 0.87 of a bare engine; re-read the offsets from "
         "check_exit_request_x86_64 and uc_emu_stop in the installed libunicorn.so.2";
}

TEST(UnicornExitChecks, WithChecksAStopFromAStoreLandsBeforeTheNextInstruction) {
  Engine32 e(storeThenTwoMovs(kStopPage));
  ASSERT_EQ(uc_emu_start(e.uc, kCode, 0, 0, 0), UC_ERR_OK);
  EXPECT_EQ(e.reg(UC_X86_REG_EBX), 0u);
  EXPECT_EQ(e.reg(UC_X86_REG_ECX), 0u);
}

TEST(UnicornExitChecks, WithoutChecksTheBlockRunsOnToItsEnd) {
  ASSERT_TRUE(checks::available());
  Engine32 e(storeThenTwoMovs(kStopPage));
  checks::setSuppressed(e.uc, true);
  ASSERT_EQ(uc_emu_start(e.uc, kCode, 0, 0, 0), UC_ERR_OK);
  EXPECT_EQ(e.reg(UC_X86_REG_EBX), 1u);
  EXPECT_EQ(e.reg(UC_X86_REG_ECX), 2u);
}

TEST(UnicornExitChecks, ChecksComeBackForBlocksTranslatedAfterwards) {
  ASSERT_TRUE(checks::available());
  Engine32 e(storeThenTwoMovs(kStopPage));
  checks::setSuppressed(e.uc, true);
  checks::setSuppressed(e.uc, false);
  ASSERT_EQ(uc_emu_start(e.uc, kCode, 0, 0, 0), UC_ERR_OK);
  EXPECT_EQ(e.reg(UC_X86_REG_EBX), 0u);
}

struct HoleHook {
  bool leave = false;
  int writes = 0;
};

bool onHole(uc_engine* uc, uc_mem_type type, uint64_t, int, int64_t, void* user) {
  auto* h = static_cast<HoleHook*>(user);
  if (type != UC_MEM_WRITE_UNMAPPED) return false;
  ++h->writes;
  if (h->leave) checks::leaveBlock(uc);
  return false;
}

TEST(UnicornExitChecks, WithoutChecksAStoreToUnmappedMemoryAloneDoesNotStopTheBlock) {
  ASSERT_TRUE(checks::available());
  Engine32 e(storeThenTwoMovs(0x800000));
  HoleHook hook;
  uc_hook h{};
  ASSERT_EQ(uc_hook_add(e.uc, &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(onHole), &hook, 1, 0), UC_ERR_OK);
  checks::setSuppressed(e.uc, true);
  EXPECT_EQ(uc_emu_start(e.uc, kCode, 0, 0, 0), UC_ERR_WRITE_UNMAPPED);
  EXPECT_EQ(hook.writes, 1);
  EXPECT_EQ(e.reg(UC_X86_REG_EBX), 1u);  // why the engine's hook calls leaveBlock()
}

TEST(UnicornExitChecks, LeaveBlockStopsAStoreToUnmappedMemoryWhereItStands) {
  ASSERT_TRUE(checks::available());
  Engine32 e(storeThenTwoMovs(0x800000));
  HoleHook hook{true, 0};
  uc_hook h{};
  ASSERT_EQ(uc_hook_add(e.uc, &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(onHole), &hook, 1, 0), UC_ERR_OK);
  checks::setSuppressed(e.uc, true);
  const uint32_t eax = 0x5a5a5a5a;
  uc_reg_write(e.uc, UC_X86_REG_EAX, &eax);
  EXPECT_EQ(uc_emu_start(e.uc, kCode, 0, 0, 0), UC_ERR_OK);
  EXPECT_EQ(hook.writes, 1);
  EXPECT_EQ(e.reg(UC_X86_REG_EBX), 0u);
  EXPECT_EQ(e.reg(UC_X86_REG_ECX), 0u);
  EXPECT_EQ(e.reg(UC_X86_REG_EAX), eax);
  // The engine is intact: it runs on from the instruction after the store.
  ASSERT_EQ(uc_emu_start(e.uc, kCode + 5, 0, 0, 0), UC_ERR_OK);
  EXPECT_EQ(e.reg(UC_X86_REG_EBX), 1u);
  EXPECT_EQ(e.reg(UC_X86_REG_ECX), 2u);
}

}  // namespace
}  // namespace dlsim
