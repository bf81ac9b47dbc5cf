// Test-side: the PCR values an SKL launch should leave, computed from the
// spec formula with Botan and nothing from the model (amd-skinit.md 1.3,
// 4.3 step 10, 4.4), for the DLSIM_SKL_DIR end-to-end test (tests/skl):
//   PCR 17 := 0^n (the DRTM reset), extend H(SL[0:align_up(len, 4)], pad 0)
//   (SKINIT), extend H(u32 LE dlme_entry) ("DLME entry offset"), extend
//   H(DLME bytes) ("DLME"); PCR 18 := 0^n and untouched by SKL.
// TPM 2.0: SHA-1 and SHA-256 banks; TPM 1.2: SHA-1 only (sha256 left empty).
#pragma once
#include <botan/hash.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim::svm::testing {

struct SklPcrBank {
  std::vector<uint8_t> pcr17;
  std::vector<uint8_t> pcr18;
};

struct SklExpectedPcrs {
  SklPcrBank sha1;
  SklPcrBank sha256;  // empty for TPM 1.2
};

inline std::vector<uint8_t> sklTestHash(const std::string& alg, std::span<const uint8_t> b) {
  auto h = Botan::HashFunction::create_or_throw(alg);
  h->update(b.data(), b.size());
  auto d = h->final();
  return {d.begin(), d.end()};
}

inline void sklTestExtend(const std::string& alg, std::vector<uint8_t>& pcr, std::span<const uint8_t> data) {
  std::vector<uint8_t> in = pcr;
  auto d = sklTestHash(alg, data);
  in.insert(in.end(), d.begin(), d.end());
  pcr = sklTestHash(alg, in);
}

// `slb` holds the SL image from offset 0 (its header's length word is read
// here, independently of svm_model/slb); `dlme` the kernel bytes SKL measures.
inline SklExpectedPcrs expectedSklPcrs(std::span<const uint8_t> slb, uint32_t dlmeEntry,
                                       std::span<const uint8_t> dlme, bool tpm12 = false) {
  uint32_t len = slb.size() >= 4 ? uint32_t(slb[2] | slb[3] << 8) : 0;
  std::vector<uint8_t> sl((len + 3) / 4 * 4, 0);
  for (uint32_t i = 0; i < len && i < slb.size(); ++i) sl[i] = slb[i];
  std::vector<uint8_t> entry = {uint8_t(dlmeEntry), uint8_t(dlmeEntry >> 8), uint8_t(dlmeEntry >> 16),
                                uint8_t(dlmeEntry >> 24)};
  auto bank = [&](const std::string& alg, size_t n) {
    SklPcrBank b{std::vector<uint8_t>(n, 0), std::vector<uint8_t>(n, 0)};
    sklTestExtend(alg, b.pcr17, sl);
    sklTestExtend(alg, b.pcr17, entry);
    sklTestExtend(alg, b.pcr17, dlme);
    return b;
  };
  SklExpectedPcrs e;
  e.sha1 = bank("SHA-1", 20);
  if (!tpm12) e.sha256 = bank("SHA-256", 32);
  return e;
}

}  // namespace dlsim::svm::testing
