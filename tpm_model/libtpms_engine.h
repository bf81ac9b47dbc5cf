// A TpmEngine backed by libtpms (Debian libtpms0, TPMLIB_* API) with its NV
// kept in memory. Used as the reference the differential tests compare
// dlsim's own engine against, and selectable by scenarios.
//
// libtpms keeps all TPM state in process globals: ONLY ONE LibtpmsEngine may
// exist at a time in a process (constructing a second one throws
// InternalError). Its TPMEstablished flag is also a process global that
// survives TPMLIB_Terminate; the constructor clears it so a new engine starts
// as a freshly manufactured TPM.
//
// TPM2_GetRandom is made deterministic here: libtpms validates and runs the
// command (so every response code is libtpms' own), and the random bytes of
// a successful answer are replaced by the same seeded stream dlsim's engine
// uses (DeterministicRng), see DIFFERENCES.md. Elsewhere libtpms still draws
// its own entropy (session nonces, key generation), which dlsim's scenarios
// do not use.
//
// Snapshots: saveState() takes libtpms' permanent and volatile state blobs
// (TPMLIB_GetState), the in-memory NV files and this wrapper's own state;
// restoreState() terminates libtpms, hands the blobs back (TPMLIB_SetState)
// and re-runs TPMLIB_MainInit, which resumes from them. This works within
// the one-engine-per-process rule because the blobs replace the single
// global TPM's state.
#pragma once
#include <map>
#include <string>

#include "tpm_model/deterministic_rng.h"
#include "tpm_model/tpm_engine.h"

namespace dlsim::tpm {

class LibtpmsEngine : public TpmEngine {
 public:
  // `rngSeed` seeds the GetRandom stream (the scenario seed, as for DlsimEngine).
  explicit LibtpmsEngine(uint64_t rngSeed = 0);
  ~LibtpmsEngine() override;
  LibtpmsEngine(const LibtpmsEngine&) = delete;
  LibtpmsEngine& operator=(const LibtpmsEngine&) = delete;

  std::string name() const override { return "libtpms"; }
  void powerOn() override;
  std::vector<uint8_t> execute(uint8_t locality, std::span<const uint8_t> command) override;
  void hashStart() override;
  void hashData(std::span<const uint8_t> data) override;
  void hashEnd() override;
  // Issues a TPM2_PCR_Read at locality 0. Returns nullopt before Startup and
  // while a hash sequence is open (a command would cancel it).
  std::optional<std::vector<uint8_t>> pcrValue(uint16_t hashAlg, unsigned index) override;
  bool established() override;
  bool resetEstablished(uint8_t locality) override;
  std::vector<uint8_t> saveState() const override;
  // A blob libtpms refuses (TPMLIB_SetState / MainInit fail) is an
  // InputError too; the engine is then put back from a backup taken first.
  void restoreState(std::span<const uint8_t> state) override;

  // Used by the libtpms callbacks (C functions): the in-memory NV files and
  // the locality of the command being executed.
  std::map<std::string, std::vector<uint8_t>>& nvFiles() { return nv_; }
  uint8_t currentLocality() const { return locality_; }

 private:
  struct Saved;
  void start();
  void stop();
  void registerWithLibtpms();
  // TPM2_GetRandom: replaces the random bytes of libtpms' successful answer.
  void makeRandomDeterministic(std::span<const uint8_t> command, std::vector<uint8_t>& response);
  Saved parseState(std::span<const uint8_t> state) const;
  void install(const Saved& saved);

  std::map<std::string, std::vector<uint8_t>> nv_;
  uint8_t locality_ = 0;
  bool running_ = false;
  bool hashOpen_ = false;
  DeterministicRng rng_;
};

}  // namespace dlsim::tpm
