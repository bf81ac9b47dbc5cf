// Linear -> physical translation against page tables built by hand here.
#include "cpu_model/page_walk.h"

#include <gtest/gtest.h>

#include <map>

namespace dlsim {
namespace {

// A sparse physical memory of 8-byte words.
struct Phys {
  std::map<uint64_t, uint64_t> words;
  PhysRead64 reader() {
    return [this](uint64_t gpa, uint64_t& out) {
      auto it = words.find(gpa);
      out = it == words.end() ? 0 : it->second;
      return true;
    };
  }
};

TEST(PageWalk, NoPagingIsIdentityBelowFourGiB) {
  Phys m;
  WalkResult r = walkPage(PagingRegs{0x11, 0, 0, 0}, 0x12345678, Access::Read, m.reader());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.physical, 0x12345678u);
}

TEST(PageWalk, FourLevelWith4KAnd2MPages) {
  Phys m;
  // PML4 at 0x1000, PDPT at 0x2000, PD at 0x3000, PT at 0x4000.
  const uint64_t lin4k = 0x0000008000201234ull;  // PML4 1, PDPT 0, PD 1, PT 1
  m.words[0x1000 + 1 * 8] = 0x2000 | 3;
  m.words[0x2000 + 0 * 8] = 0x3000 | 3;
  m.words[0x3000 + 1 * 8] = 0x4000 | 3;
  m.words[0x4000 + 1 * 8] = 0xabcd000 | 1;  // read-only
  m.words[0x3000 + 2 * 8] = 0x40000000 | 0x83;  // 2 MiB page for PD index 2
  PagingRegs regs{0x80000011, 0x1000, 1 << 5, (1 << 8) | (1 << 10)};
  WalkResult r = walkPage(regs, lin4k, Access::Read, m.reader());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.physical, 0xabcd234u);
  // CR0.WP: a write to a read-only page faults with P|W.
  regs.cr0 |= 1 << 16;
  r = walkPage(regs, lin4k, Access::Write, m.reader());
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.pfErrorCode, 3u);
  r = walkPage(regs, 0x0000008000412345ull, Access::Read, m.reader());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.physical, 0x40012345u);
  // Not present at the PML4: error code 0 for a read.
  r = walkPage(regs, 0x0000010000000000ull, Access::Read, m.reader());
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.pfErrorCode, 0u);
}

TEST(PageWalk, ThirtyTwoBitPagingWith4MPages) {
  Phys m;
  // PD at 0x5000 (4-byte entries): entry 1 (at 0x5004) is a 4 MiB page at
  // 0x800000. The walker reads 8 bytes and keeps the low 4.
  PagingRegs regs{0x80000011, 0x5000, 1 << 4, 0};
  m.words[0x5004] = 0x800000 | 0x83;
  WalkResult r = walkPage(regs, 0x00412345, Access::Read, m.reader());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.physical, 0x812345u);
}

TEST(PageWalk, NxFaultsOnExecuteOnlyWhenEnabled) {
  Phys m;
  m.words[0x1000] = 0x2000 | 3;
  m.words[0x2000] = 0x3000 | 3;
  m.words[0x3000] = 0x200000 | 0x83 | (1ull << 63);
  PagingRegs regs{0x80000011, 0x1000, 1 << 5, (1 << 8) | (1 << 10)};
  EXPECT_TRUE(walkPage(regs, 0x1000, Access::Execute, m.reader()).ok);
  regs.efer |= 1 << 11;
  WalkResult r = walkPage(regs, 0x1000, Access::Execute, m.reader());
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.pfErrorCode, 0x11u);
}

}  // namespace
}  // namespace dlsim
