// PCR banks and the PC Client PCR attribute table: which localities may
// extend and reset each of the 24 PCRs, which are saved across
// Shutdown(STATE), their Startup values, and the pcrUpdateCounter rules.
// Facts: PC Client PTP as implemented by libtpms PCR.c (spec/tpm.md §3).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

namespace dlsim::tpm {

inline constexpr unsigned kPcrCount = 24;
inline constexpr unsigned kDrtmPcr = 17;
inline constexpr unsigned kHcrtmPcr = 0;

struct PcrAttributes {
  bool stateSaved;
  uint8_t resetLocalities;   // bit n = PCR_Reset allowed at locality n (4 never honoured)
  uint8_t extendLocalities;  // bit n = PCR_Extend/PCR_Event allowed at locality n
};

// Throws InternalError for pcr >= kPcrCount.
const PcrAttributes& pcrAttributes(unsigned pcr);
// PCR_Extend/PCR_Event permitted at `locality`.
bool pcrExtendAllowed(unsigned pcr, uint8_t locality);
// PCR_Reset permitted at `locality` (never at locality 4: this is a D-RTM TPM).
bool pcrResetAllowed(unsigned pcr, uint8_t locality);
// Startup value is all ones (PCR 17-22: reset mask includes locality 4).
bool pcrResetsToOnes(unsigned pcr);
// A change of this PCR bumps pcrUpdateCounter (all but 16 and 21-23).
bool pcrChangeCounts(unsigned pcr);

class PcrBanks {
 public:
  // `algs`: allocated banks in ascending TPM_ALG_ID order, each all 24 PCRs.
  explicit PcrBanks(std::vector<uint16_t> algs);

  const std::vector<uint16_t>& algs() const { return algs_; }
  bool allocated(uint16_t alg) const;
  // nullptr if `alg` is not allocated or pcr out of range.
  std::vector<uint8_t>* value(uint16_t alg, unsigned pcr);
  const std::vector<uint8_t>* value(uint16_t alg, unsigned pcr) const;

  // PCR := H(PCR || data) in bank `alg` (no-op if not allocated); bumps the
  // update counter per pcrChangeCounts.
  void extend(unsigned pcr, uint16_t alg, const std::vector<uint8_t>& data);
  // Every bank of `pcr` := all bytes `fill`.
  void fill(unsigned pcr, uint8_t fill);
  void changed(unsigned pcr);

  uint32_t updateCounter = 0;

 private:
  std::vector<uint16_t> algs_;
  std::vector<std::array<std::vector<uint8_t>, kPcrCount>> values_;
};

}  // namespace dlsim::tpm
