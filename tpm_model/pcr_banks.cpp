// PC Client PCR attribute table and PCR bank storage (see pcr_banks.h).
#include "tpm_model/pcr_banks.h"

#include <botan/hash.h>

#include "sim/errors.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

// {stateSaved, reset mask, extend mask}; bit n = locality n.
constexpr PcrAttributes kStatic = {true, 0x00, 0x1F};
constexpr PcrAttributes kTable[kPcrCount] = {
    kStatic, kStatic, kStatic, kStatic, kStatic, kStatic, kStatic, kStatic,  // 0-7
    kStatic, kStatic, kStatic, kStatic, kStatic, kStatic, kStatic, kStatic,  // 8-15
    {false, 0x0F, 0x1F},  // 16 debug
    {false, 0x10, 0x1C},  // 17 D-RTM
    {false, 0x10, 0x1C},  // 18
    {false, 0x10, 0x0C},  // 19
    {false, 0x14, 0x0E},  // 20
    {false, 0x14, 0x04},  // 21
    {false, 0x14, 0x04},  // 22
    {false, 0x0F, 0x1F},  // 23 application
};

}  // namespace

const PcrAttributes& pcrAttributes(unsigned pcr) {
  if (pcr >= kPcrCount) throw InternalError("tpm: PCR index " + std::to_string(pcr) + " out of range");
  return kTable[pcr];
}

bool pcrExtendAllowed(unsigned pcr, uint8_t locality) {
  return locality <= 4 && (pcrAttributes(pcr).extendLocalities >> locality) & 1;
}

bool pcrResetAllowed(unsigned pcr, uint8_t locality) {
  if (locality >= 4) return false;
  return (pcrAttributes(pcr).resetLocalities >> locality) & 1;
}

bool pcrResetsToOnes(unsigned pcr) { return (pcrAttributes(pcr).resetLocalities & 0x10) != 0; }

bool pcrChangeCounts(unsigned pcr) { return pcr != 16 && !(pcr >= 21 && pcr <= 23); }

PcrBanks::PcrBanks(std::vector<uint16_t> algs) : algs_(std::move(algs)) {
  for (uint16_t a : algs_) {
    auto size = hashDigestSize(a);
    if (!size) throw InternalError("tpm: PCR bank with unknown hash algorithm " + hashAlgName(a));
    std::array<std::vector<uint8_t>, kPcrCount> bank;
    for (auto& v : bank) v.assign(*size, 0);
    values_.push_back(std::move(bank));
  }
}

bool PcrBanks::allocated(uint16_t alg) const {
  for (uint16_t a : algs_)
    if (a == alg) return true;
  return false;
}

std::vector<uint8_t>* PcrBanks::value(uint16_t alg, unsigned pcr) {
  if (pcr >= kPcrCount) return nullptr;
  for (size_t i = 0; i < algs_.size(); ++i)
    if (algs_[i] == alg) return &values_[i][pcr];
  return nullptr;
}

const std::vector<uint8_t>* PcrBanks::value(uint16_t alg, unsigned pcr) const {
  return const_cast<PcrBanks*>(this)->value(alg, pcr);
}

void PcrBanks::extend(unsigned pcr, uint16_t alg, const std::vector<uint8_t>& data) {
  std::vector<uint8_t>* v = value(alg, pcr);
  if (!v) return;
  auto h = Botan::HashFunction::create_or_throw(botanHashName(alg));
  h->update(*v);
  h->update(data);
  h->final(v->data());
  changed(pcr);
}

void PcrBanks::fill(unsigned pcr, uint8_t byte) {
  for (uint16_t a : algs_) {
    auto* v = value(a, pcr);
    std::fill(v->begin(), v->end(), byte);
  }
}

void PcrBanks::changed(unsigned pcr) {
  if (pcrChangeCounts(pcr)) ++updateCounter;
}

}  // namespace dlsim::tpm
