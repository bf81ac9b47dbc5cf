// The SLRT the hand-off builder puts in the SLB, read back byte by byte at
// the offsets linux-secure-launch.md 1 gives (not through the encoder):
// slrt2025 (u32 entry headers, DL_INFO 72, LOG_INFO 24, ENTRY_POLICY
// 16 + n*56, AMD_INFO 56, END 8) and slrt2024 (SKL-S: u16 headers, DL_INFO
// 52, LOG_INFO 20, ENTRY_POLICY 8 + n*44, END 4, no AMD_INFO).
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "svm_model/handoff/handoff_slrt.h"
#include "svm_model/handoff/tests/handoff_test_util.h"

namespace dlsim::svm::testing {
namespace {

constexpr uint64_t kSlrt = 0x200000 + 0xd4d4;

TEST(HandoffSlrt, GeometryMatchesTheSpecNumbers) {
  SlrtGeometry a = slrtGeometry(SklLayout::Slrt2025);
  EXPECT_EQ(a.headerSize, 16u);
  EXPECT_EQ(a.entryHeaderSize, 8u);
  EXPECT_EQ(a.dlInfoSize, 72u);
  EXPECT_EQ(a.logInfoSize, 24u);
  EXPECT_EQ(a.policyHeaderSize, 16u);
  EXPECT_EQ(a.policyEntrySize, 56u);
  EXPECT_EQ(a.amdInfoSize, 56u);
  EXPECT_EQ(a.endSize, 8u);
  SlrtGeometry s = slrtGeometry(SklLayout::Slrt2024);
  EXPECT_EQ(s.entryHeaderSize, 4u);
  EXPECT_EQ(s.dlInfoSize, 52u);
  EXPECT_EQ(s.logInfoSize, 20u);
  EXPECT_EQ(s.policyHeaderSize, 8u);
  EXPECT_EQ(s.policyEntrySize, 44u);
  EXPECT_EQ(s.evtInfoSize, 20u);
  EXPECT_EQ(s.amdInfoSize, 0u);
  EXPECT_EQ(s.endSize, 4u);
  // 16 + 72 + 24 + (16 + 2*56) + 56 + 8
  EXPECT_EQ(slrtOffsets(SklLayout::Slrt2025, 2).size, 304u);
  // 16 + 52 + 20 + (8 + 2*44) + 4
  EXPECT_EQ(slrtOffsets(SklLayout::Slrt2024, 2).size, 188u);
  EXPECT_THROW(slrtGeometry(SklLayout::Tags2023), InternalError);
}

TEST(HandoffSlrt, Slrt2025Multiboot2ReadsBackAtSpecOffsets) {
  Handoff h = buildHandoff(goodDesc(SklLayout::Slrt2025));
  EXPECT_EQ(h.bootloaderDataAddress, kSlrt);
  EXPECT_EQ(readLe(h, kSlrt + 0, 4), 0x4452544Du);
  EXPECT_EQ(readLe(h, kSlrt + 4, 2), 1u);
  EXPECT_EQ(readLe(h, kSlrt + 6, 2), 2u);
  EXPECT_EQ(readLe(h, kSlrt + 8, 4), 304u);  // multiboot2: 2 policy entries
  EXPECT_EQ(readLe(h, kSlrt + 12, 4), 0x10000u - 0xd4d4u);

  uint64_t dl = kSlrt + 16;
  EXPECT_EQ(readLe(h, dl, 4), 1u);
  EXPECT_EQ(readLe(h, dl + 4, 4), 72u);
  EXPECT_EQ(readLe(h, dl + 8, 8), 0x10000u);     // dce_size
  EXPECT_EQ(readLe(h, dl + 16, 8), 0x200000u);   // dce_base
  EXPECT_EQ(readLe(h, dl + 24, 8), 0x380u);      // dlme_size
  EXPECT_EQ(readLe(h, dl + 32, 8), 0x1000000u);  // dlme_base
  EXPECT_EQ(readLe(h, dl + 40, 8), 0x40u);       // dlme_entry
  EXPECT_EQ(readLe(h, dl + 48, 2), 1u);          // bl_context.bootloader = GRUB
  EXPECT_EQ(readLe(h, dl + 56, 8), 0x90000u);    // bl_context.context: SKL-A's DLME argument

  uint64_t log = dl + 72;
  EXPECT_EQ(readLe(h, log, 4), 2u);
  EXPECT_EQ(readLe(h, log + 4, 4), 24u);
  EXPECT_EQ(readLe(h, log + 8, 2), 2u);  // TPM 2.0 TCG format
  EXPECT_EQ(readLe(h, log + 12, 4), 0x10000u);
  EXPECT_EQ(readLe(h, log + 16, 8), 0x800000u);

  uint64_t pol = log + 24;
  EXPECT_EQ(readLe(h, pol, 4), 3u);
  EXPECT_EQ(readLe(h, pol + 4, 4), 16u + 2 * 56u);
  EXPECT_EQ(readLe(h, pol + 12, 2), 1u);  // revision
  EXPECT_EQ(readLe(h, pol + 14, 2), 2u);  // nr_entries
  uint64_t e0 = pol + 16;
  EXPECT_EQ(readLe(h, e0, 2), 18u);
  EXPECT_EQ(readLe(h, e0 + 2, 2), 1u);  // SLRT
  EXPECT_EQ(readLe(h, e0 + 4, 2), 3u);  // MEASURED | IMPLICIT_SIZE
  EXPECT_EQ(readLe(h, e0 + 16, 8), kSlrt);
  EXPECT_EQ(readLe(h, e0 + 24, 8), 0x646572757361654dull);  // "Measured"
  uint64_t e1 = e0 + 56;
  EXPECT_EQ(readLe(h, e1 + 2, 2), 7u);  // MULTIBOOT2_INFO
  EXPECT_EQ(readLe(h, e1 + 16, 8), 0x90000u);

  uint64_t amd = pol + 16 + 2 * 56;
  EXPECT_EQ(readLe(h, amd, 4), 5u);
  EXPECT_EQ(readLe(h, amd + 4, 4), 56u);
  EXPECT_EQ(readLe(h, amd + 8, 8), 0u);     // next
  EXPECT_EQ(readLe(h, amd + 16, 4), 10u);   // SETUP_SECURE_LAUNCH
  EXPECT_EQ(readLe(h, amd + 20, 4), 56u);   // len: the whole entry, as GRUB sets it
  EXPECT_EQ(readLe(h, amd + 24, 8), 304u);  // slrt_size
  EXPECT_EQ(readLe(h, amd + 32, 8), kSlrt);
  EXPECT_EQ(readLe(h, amd + 40, 8), 0x90000u);  // boot_params_base
  EXPECT_EQ(readLe(h, amd + 48, 2), 0u);        // psp_version: plain SKINIT

  uint64_t end = amd + 56;
  EXPECT_EQ(readLe(h, end, 4), 0xFFFFu);
  EXPECT_EQ(readLe(h, end + 4, 4), 8u);
  EXPECT_EQ(end + 8, kSlrt + 304);
  EXPECT_EQ(h.fieldAddress("amd_info.boot_params_base"), amd + 40);
}

TEST(HandoffSlrt, Slrt2024UsesSklsOldLayoutAndBlContext) {
  Handoff h = buildHandoff(goodDesc(SklLayout::Slrt2024));
  EXPECT_EQ(readLe(h, kSlrt + 8, 4), 188u);
  uint64_t dl = kSlrt + 16;
  EXPECT_EQ(readLe(h, dl, 2), 1u);
  EXPECT_EQ(readLe(h, dl + 2, 2), 52u);
  EXPECT_EQ(readLe(h, dl + 4, 2), 1u);           // bl_context.bootloader
  EXPECT_EQ(readLe(h, dl + 8, 8), 0x90000u);     // bl_context.context = boot params
  EXPECT_EQ(readLe(h, dl + 24, 8), 0x200000u);   // dce_base
  EXPECT_EQ(readLe(h, dl + 32, 4), 0x10000u);    // dce_size (u32)
  EXPECT_EQ(readLe(h, dl + 36, 8), 0x1000000u);  // dlme_base
  EXPECT_EQ(readLe(h, dl + 44, 4), 0x380u);      // dlme_size (u32)
  EXPECT_EQ(readLe(h, dl + 48, 4), 0x40u);       // dlme_entry (u32)
  uint64_t log = dl + 52;
  EXPECT_EQ(readLe(h, log, 2), 2u);
  EXPECT_EQ(readLe(h, log + 2, 2), 20u);
  EXPECT_EQ(readLe(h, log + 4, 2), 2u);
  EXPECT_EQ(readLe(h, log + 8, 8), 0x800000u);  // addr before size
  EXPECT_EQ(readLe(h, log + 16, 4), 0x10000u);
  uint64_t pol = log + 20;
  EXPECT_EQ(readLe(h, pol, 2), 3u);
  EXPECT_EQ(readLe(h, pol + 2, 2), 8u + 2 * 44u);
  EXPECT_EQ(readLe(h, pol + 4, 2), 1u);
  EXPECT_EQ(readLe(h, pol + 6, 2), 2u);
  EXPECT_EQ(readLe(h, pol + 8 + 8, 8), kSlrt);  // entity before size
  uint64_t end = pol + 8 + 2 * 44;
  EXPECT_EQ(readLe(h, end, 2), 0xFFFFu);
  EXPECT_EQ(readLe(h, end + 2, 2), 4u);
  EXPECT_EQ(h.field("amd_info.boot_params_base"), nullptr);
}

TEST(HandoffSlrt, LinuxGetsGrubsDefaultPolicyAndSetupDataChain) {
  auto d = goodDesc(SklLayout::Slrt2025, KernelKind::Linux);
  d.cmdline = "console=ttyS0";
  Handoff h = buildHandoff(d);
  // 6 policy entries: 16 + 72 + 24 + 16 + 6*56 + 56 + 8
  uint32_t size = 16 + 72 + 24 + 16 + 6 * 56 + 56 + 8;
  EXPECT_EQ(readLe(h, kSlrt + 8, 4), size);
  uint64_t e = kSlrt + 16 + 72 + 24 + 16;
  const uint16_t pcr[] = {18, 18, 18, 18, 18, 17};
  const uint16_t type[] = {1, 2, 3, 4, 0xFFFF, 0xFFFF};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(readLe(h, e + 56 * i, 2), pcr[i]) << i;
    EXPECT_EQ(readLe(h, e + 56 * i + 2, 2), type[i]) << i;
  }
  EXPECT_EQ(readLe(h, e + 56 + 8, 8), 0x1000u);     // boot params: size 4096
  EXPECT_EQ(readLe(h, e + 56 + 16, 8), 0x90000u);   //   at boot_params_base
  uint64_t amd = e + 6 * 56;
  EXPECT_EQ(readLe(h, e + 112 + 16, 8), amd + 8);    // setup_data: AMD_INFO's setup_data header
  EXPECT_EQ(readLe(h, e + 168 + 8, 8), 14u);         // command line with its NUL
  EXPECT_EQ(readLe(h, e + 168 + 16, 8), 0x91000u);
  // The zero page links AMD_INFO into setup_data; the command line follows it.
  EXPECT_EQ(readLe(h, 0x90000 + 0x1FE, 2), 0xAA55u);
  EXPECT_EQ(readLe(h, 0x90000 + 0x202, 4), 0x53726448u);
  EXPECT_EQ(readLe(h, 0x90000 + 0x250, 8), amd + 8);
  EXPECT_EQ(readLe(h, 0x90000 + 0x228, 4), 0x91000u);
  EXPECT_EQ(readLe(h, 0x90000 + 0x238, 4), 14u);
  EXPECT_EQ(readLe(h, 0x91000, 8), 0x3d656c6f736e6f63ull);  // "console="
  EXPECT_EQ(readLe(h, 0x91000 + 13, 1), 0u);
}

TEST(HandoffSlrt, SklA2024AmdInfoHasNoPspVersion) {
  auto d = goodDesc(SklLayout::Slrt2025);
  d.amdInfoSize = 48;
  Handoff h = buildHandoff(d);
  EXPECT_EQ(readLe(h, kSlrt + 8, 4), 296u);  // 304 - 8
  uint64_t amd = kSlrt + 16 + 72 + 24 + 16 + 2 * 56;
  EXPECT_EQ(readLe(h, amd, 4), 5u);
  EXPECT_EQ(readLe(h, amd + 4, 4), 48u);
  EXPECT_EQ(readLe(h, amd + 20, 4), 48u);
  EXPECT_EQ(readLe(h, amd + 24, 8), 296u);
  EXPECT_EQ(readLe(h, amd + 40, 8), 0x90000u);
  EXPECT_EQ(readLe(h, amd + 48, 4), 0xFFFFu);  // END follows
  EXPECT_EQ(readLe(h, amd + 52, 4), 8u);
  EXPECT_EQ(h.field("amd_info.psp_version"), nullptr);
  d.amdInfoSize = 40;
  auto m = inputErrorOf([&] { buildHandoff(d); });
  EXPECT_NE(m.find("scen.json: /handoff/amd_info_size: 40 is not 56"), std::string::npos) << m;
}

TEST(HandoffSlrt, Tpm12DefaultsTheLogFormatToTheTxtContainer) {
  auto d = goodDesc(SklLayout::Slrt2025);
  d.tpm = TpmFamily::Tpm12;
  Handoff h = buildHandoff(d);
  EXPECT_EQ(readLe(h, kSlrt + 16 + 72 + 8, 2), 1u);
  d.logFormat = kLogFormatTpm20Tcg;  // a mismatch a scenario may ask for
  EXPECT_EQ(readLe(buildHandoff(d), kSlrt + 16 + 72 + 8, 2), 2u);
}

}  // namespace
}  // namespace dlsim::svm::testing
