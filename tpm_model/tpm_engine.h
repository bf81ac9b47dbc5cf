// The TPM engine interface: what the TIS/CRB register interfaces and the
// scenario checks need from a TPM 2.0, whichever implementation is behind it
// (dlsim's own deterministic engine or libtpms). Localities are checked and
// arbitrated by the register interface; the engine only applies the
// per-command locality rules (PCR attributes, Startup at 0/3, ...).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace dlsim::tpm {

class TpmEngine {
 public:
  virtual ~TpmEngine() = default;

  // "dlsim" or "libtpms".
  virtual std::string name() const = 0;

  // _TPM_Init: a platform reset or power cycle. Volatile state (Startup,
  // PCRs, sequences, loaded objects) is lost; NV and the tpmEstablishment
  // flag survive. Engines start powered on, so the first call is not needed.
  virtual void powerOn() = 0;

  // Executes one command received at `locality` (0..4) and returns the whole
  // response (header included). Never throws on malformed commands: they get
  // an error response with the TPM_RC the spec defines.
  virtual std::vector<uint8_t> execute(uint8_t locality, std::span<const uint8_t> command) = 0;

  // _TPM_Hash_Start / _TPM_Hash_Data / _TPM_Hash_End (H-CRTM and D-RTM
  // indications). The caller (the register interface) only forwards them for
  // locality-4 writes.
  virtual void hashStart() = 0;
  virtual void hashData(std::span<const uint8_t> data) = 0;
  virtual void hashEnd() = 0;

  // Observation: current value of PCR `index` in bank `hashAlg`, or nullopt
  // when that bank is not allocated, the index is out of range or the value
  // cannot be observed right now (see the engine's notes).
  virtual std::optional<std::vector<uint8_t>> pcrValue(uint16_t hashAlg, unsigned index) = 0;

  // TPMEstablished: true once a D-RTM / H-CRTM hash sequence has run and until
  // it is reset. (TIS ACCESS bit 0 reads the inverse.)
  virtual bool established() = 0;
  // resetEstablishmentBit: honoured only from locality 3 or 4; returns whether
  // it was honoured.
  virtual bool resetEstablished(uint8_t locality) = 0;

  // Engine snapshots. saveState() returns everything the engine keeps (PCRs,
  // NV, Startup / orderly state, open hash sequences, the RNG position,
  // tpmEstablished) as bytes that only restoreState() of the same engine kind
  // reads back; the TIS/CRB device appends them to its own machine-snapshot
  // state. restoreState() is all or nothing: a truncated, corrupted or
  // foreign state throws dlsim::InputError naming the field and leaves the
  // engine as it was. Restoring puts the engine exactly where it was when
  // the state was saved, whatever ran in between (fuzzing and field-bug
  // replay restore the same state thousands of times).
  virtual std::vector<uint8_t> saveState() const = 0;
  virtual void restoreState(std::span<const uint8_t> state) = 0;
};

}  // namespace dlsim::tpm
