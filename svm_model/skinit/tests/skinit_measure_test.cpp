// What SKINIT sends to the TPM (APM vol. 2 15.27.5-15.27.6; spec note
// amd-skinit.md 1.3): HASH_START, the SL image SLB[0, align_up(length, 4))
// with the pad bytes zero (not the bytes in memory there) as HASH_DATA,
// HASH_END, every access a platform access at locality 4; with dlsim's TPM
// engine behind a TIS window, PCR 17 then reads H(0^n || H(image)) per bank,
// computed here with Botan from that formula.
#include <botan/hash.h>
#include <gtest/gtest.h>

#include "sim/bus.h"
#include "sim/device.h"
#include "svm_model/skinit/tests/skinit_rig.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/tis_device.h"

namespace dlsim::svm::test {
namespace {

using Bytes = std::vector<uint8_t>;

struct TpmAccess {
  bool write;
  Requester requester;
  int locality;
  uint64_t offset;
  unsigned size;
  uint64_t value;
};

// A TPM window that records every access and reads as zero (INTERFACE_ID
// type 0: a FIFO TPM is there).
class RecordingTpm : public Device {
 public:
  std::string name() const override { return "recording-tpm"; }
  uint64_t read(const AccessContext& c, uint64_t off, unsigned size) override {
    log.push_back({false, c.requester, c.locality, off, size, 0});
    return 0;
  }
  void write(const AccessContext& c, uint64_t off, unsigned size, uint64_t v) override {
    log.push_back({true, c.requester, c.locality, off, size, v});
  }
  std::vector<TpmAccess> log;
};

// An image of 0x2E bytes (not a multiple of 4) followed by 0xEE bytes in
// memory that must not be hashed.
Bytes oddImage() {
  Bytes img = dlsim::test::assemble(slbSource("hlt\ntimes 0x29 db 0x5c\n"));
  EXPECT_EQ(img.size(), 0x2Eu);
  return img;
}

TEST(SkinitMeasure, SendsThePaddedImageAtLocality4) {
  SkinitRig rig;
  RecordingTpm tpm;
  rig.m.bus().mapMmio(0xFED40000, 0x5000, &tpm);
  Bytes img = oddImage();
  Bytes inMemory = img;
  inMemory.insert(inMemory.end(), 8, 0xEE);
  rig.writeSlb(inMemory);
  auto r = rig.skinitRun();
  ASSERT_TRUE(r.obs.brokenRules.empty());
  ASSERT_TRUE(rig.skinit->launch());
  EXPECT_TRUE(rig.skinit->launch()->tpmPresent);

  Bytes hashed;
  int starts = 0, ends = 0;
  for (const TpmAccess& a : tpm.log) {
    EXPECT_EQ(a.requester, Requester::kPlatform);
    EXPECT_EQ(a.locality, 4);
    EXPECT_EQ(a.offset >> 12, 4u) << "locality-4 page";
    if (!a.write) continue;
    const uint64_t reg = a.offset & 0xFFF;
    if (reg == 0x28) {
      EXPECT_EQ(ends, 0);
      EXPECT_TRUE(hashed.empty());
      ++starts;
    } else if (reg == 0x24) {
      EXPECT_EQ(starts, 1);
      for (unsigned i = 0; i < a.size; ++i) hashed.push_back(uint8_t(a.value >> (8 * i)));
    } else if (reg == 0x20) {
      ++ends;
    } else {
      ADD_FAILURE() << "write to locality-4 register " << reg;
    }
  }
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(ends, 1);
  Bytes want = img;
  want.resize(0x30, 0);  // rounded up to 4 with zero bytes
  EXPECT_EQ(hashed, want);
}

Bytes H(const char* alg, const Bytes& a, const Bytes& b = {}) {
  auto h = Botan::HashFunction::create_or_throw(alg);
  h->update(a);
  h->update(b);
  auto d = h->final();
  return Bytes(d.begin(), d.end());
}

TEST(SkinitMeasure, Pcr17HoldsTheSlImageHash) {
  SkinitRig rig;
  tpm::DlsimEngine engine;
  tpm::TisDevice tis(engine);
  rig.m.bus().mapMmio(0xFED40000, 0x5000, &tis);
  // TPM2_Startup(CLEAR), as firmware sends it.
  const Bytes startup = {0x80, 0x01, 0, 0, 0, 0x0C, 0, 0, 0x01, 0x44, 0, 0};
  ASSERT_EQ(engine.execute(0, startup), (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0, 0}));
  Bytes img = oddImage();
  Bytes inMemory = img;
  inMemory.insert(inMemory.end(), 8, 0xEE);
  rig.writeSlb(inMemory);
  auto r = rig.skinitRun();
  ASSERT_TRUE(r.obs.brokenRules.empty());
  Bytes padded = img;
  padded.resize(0x30, 0);
  for (auto [alg, name] : {std::pair<uint16_t, const char*>{0x000B, "SHA-256"}, {0x0004, "SHA-1"}}) {
    auto pcr = engine.pcrValue(alg, 17);
    if (!pcr) continue;  // bank not allocated
    const Bytes zero(pcr->size(), 0);
    EXPECT_EQ(*pcr, H(name, zero, H(name, padded))) << name;
  }
  ASSERT_TRUE(engine.pcrValue(0x000B, 17));
}

TEST(SkinitMeasure, NoTpmNoHashTheLaunchStillStarts) {
  SkinitRig rig;
  rig.writeSlb(oddImage());
  auto r = rig.skinitRun();
  ASSERT_TRUE(rig.skinit->launch());
  EXPECT_FALSE(rig.skinit->launch()->tpmPresent);
  EXPECT_EQ(rig.m.cpu(0).archState().rip, kSlbBase + 5u);  // entry (4) + HLT
}

}  // namespace
}  // namespace dlsim::svm::test
