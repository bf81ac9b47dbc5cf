// DlsimEngine: configuration checks, _TPM_Init, and the _TPM_Hash_* D-RTM /
// H-CRTM sequence (TPM 2.0 Part 3 §22.9-22.11, as libtpms implements it).
#include "tpm_model/dlsim_engine.h"

#include <algorithm>
#include <cstdio>

#include "sim/errors.h"
#include "tpm_model/command_dispatch.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

void checkAlgList(const std::vector<uint16_t>& algs, const std::string& source, const char* field) {
  if (algs.empty()) throw InputError(source + ": " + field + " is empty");
  for (size_t i = 0; i < algs.size(); ++i) {
    if (!hashDigestSize(algs[i]))
      throw InputError(source + ": " + field + "[" + std::to_string(i) + "] = " + hashAlgName(algs[i]) +
                       " is not a supported hash algorithm");
    if (i > 0 && algs[i] <= algs[i - 1])
      throw InputError(source + ": " + field + " must be ascending without duplicates (at " +
                       hashAlgName(algs[i]) + ")");
  }
}

}  // namespace

DlsimEngine::DlsimEngine(EngineConfig config, const std::string& source) {
  checkAlgList(config.hashAlgs, source, "hash algorithms");
  checkAlgList(config.pcrBanks, source, "pcr banks");
  for (uint16_t b : config.pcrBanks)
    if (std::find(config.hashAlgs.begin(), config.hashAlgs.end(), b) == config.hashAlgs.end())
      throw InputError(source + ": pcr bank " + hashAlgName(b) + " is not among the hash algorithms");
  st_ = std::make_unique<TpmState>(std::move(config));
}

void DlsimEngine::powerOn() {
  TpmState& s = *st_;
  s.started = false;
  s.drtmPreStartup = false;
  s.startupLocality3 = false;
  s.drtm.reset();
  s.objects.clear();
  s.keys.clear();
  s.pcrs = PcrBanks(s.config.pcrBanks);
}

std::vector<uint8_t> DlsimEngine::execute(uint8_t locality, std::span<const uint8_t> command) {
  return executeCommand(*st_, locality, command);
}

void DlsimEngine::hashStart() {
  TpmState& s = *st_;
  s.drtm.reset();
  // The D-RTM sequence needs an object slot: with all taken, the first
  // loaded object (slot 0, a sequence or a key) is flushed.
  if (loadedCount(s) >= kMaxLoadedObjects) flushTransient(s, kTransientFirst);
  s.drtm = s.newSequence(true, 0);
  s.established = true;
}

void DlsimEngine::hashData(std::span<const uint8_t> data) {
  if (!st_->drtm) return;
  st_->drtm->update(data);
}

void DlsimEngine::hashEnd() {
  TpmState& s = *st_;
  if (!s.drtm) return;
  unsigned pcr;
  if (s.started) {
    for (unsigned p = 0; p < kPcrCount; ++p)
      if (pcrResetsToOnes(p)) s.pcrs.fill(p, 0);
    pcr = kDrtmPcr;
    ++s.restartCount;
  } else {
    pcr = kHcrtmPcr;
    s.drtmPreStartup = true;
  }
  for (auto& part : s.drtm->parts) {
    auto* v = s.pcrs.value(part.alg, pcr);
    if (!v) continue;
    auto d = part.fn->final();
    std::fill(v->begin(), v->end(), 0);
    if (!s.started) v->back() = 4;
    s.pcrs.extend(pcr, part.alg, std::vector<uint8_t>(d.begin(), d.end()));
  }
  s.drtm.reset();
}

std::optional<std::vector<uint8_t>> DlsimEngine::pcrValue(uint16_t hashAlg, unsigned index) {
  const auto* v = st_->pcrs.value(hashAlg, index);
  if (!v) return std::nullopt;
  return *v;
}

bool DlsimEngine::resetEstablished(uint8_t locality) {
  if (locality != 3 && locality != 4) return false;
  st_->established = false;
  return true;
}

void DlsimEngine::preloadNv(const NvIndex& index, const std::string& source) {
  if (index.index < 0x01000000 || index.index > 0x01FFFFFF)
    throw InputError(source + ": nv index " + hex32(index.index) + " is outside 0x01000000-0x01FFFFFF");
  if (st_->nv.count(index.index))
    throw InputError(source + ": nv index " + hex32(index.index) + " defined twice");
  if (index.data.size() > kMaxNvIndexSize)
    throw InputError(source + ": nv index data of " + std::to_string(index.data.size()) +
                     " bytes exceeds " + std::to_string(kMaxNvIndexSize));
  if (!hashDigestSize(index.nameAlg))
    throw InputError(source + ": nv index nameAlg " + hashAlgName(index.nameAlg) + " is not supported");
  NvIndex n = index;
  if ((n.attributes & nva::kTypeMask) != 0)
    throw InputError(source + ": only ordinary nv indices (TPM_NT 0) can be preloaded");
  if (!n.data.empty()) n.attributes |= nva::kWritten;
  st_->nv[n.index] = n;
}

}  // namespace dlsim::tpm
