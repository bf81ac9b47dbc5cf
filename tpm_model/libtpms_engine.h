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
// Not deterministic where libtpms draws entropy (GetRandom output, seeds);
// PCR values and response codes are.
#pragma once
#include <map>
#include <string>

#include "tpm_model/tpm_engine.h"

namespace dlsim::tpm {

class LibtpmsEngine : public TpmEngine {
 public:
  LibtpmsEngine();
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

  // Used by the libtpms callbacks (C functions): the in-memory NV files and
  // the locality of the command being executed.
  std::map<std::string, std::vector<uint8_t>>& nvFiles() { return nv_; }
  uint8_t currentLocality() const { return locality_; }

 private:
  void start();
  void stop();

  std::map<std::string, std::vector<uint8_t>> nv_;
  uint8_t locality_ = 0;
  bool running_ = false;
  bool hashOpen_ = false;
};

}  // namespace dlsim::tpm
