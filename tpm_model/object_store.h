// Loaded key and data objects of dlsim's engine (TPM2_CreatePrimary,
// TPM2_Load, TPM2_ContextLoad) and the transient-handle slots they share with
// hash sequences: 0x80000000 + slot, lowest free slot first, at most
// kMaxLoadedObjects together (libtpms' MAX_LOADED_OBJECTS is 3 too).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "tpm_model/object_templates.h"

namespace dlsim::tpm {

struct TpmState;

struct TpmObject {
  PublicArea pub;
  SensitiveArea sens;
  uint32_t hierarchy = 0;  // TPM_RH_OWNER / ENDORSEMENT / PLATFORM / NULL
  std::vector<uint8_t> name;
  // Qualified name (Part 1 §16): H_nameAlg(parent QN || name); a
  // hierarchy's QN is its handle.
  std::vector<uint8_t> qualifiedName;

  // Restricted decryption key with a symmetric algorithm, not a keyed hash:
  // an ordinary parent (Part 1 §27.1, libtpms' isParent).
  bool isStorageParent() const;
  // KEYEDHASH with sign, decrypt and restricted clear: sealed data.
  bool isSealedData() const;
};

// Total of sequences and objects loaded.
size_t loadedCount(const TpmState& st);
// Lowest free transient handle, or nullopt when all slots are taken.
std::optional<uint32_t> freeTransientHandle(const TpmState& st);
// Removes whatever is loaded at `h`; false when nothing was.
bool flushTransient(TpmState& st, uint32_t h);
// The key object at `h`, or nullptr (absent or a sequence).
TpmObject* findObject(TpmState& st, uint32_t h);
const TpmObject* findObject(const TpmState& st, uint32_t h);

// An object's whole state for saved contexts and engine snapshots:
// hierarchy, TPM2B(TPMT_PUBLIC), TPM2B(TPMT_SENSITIVE), TPM2B(qualified name).
std::vector<uint8_t> encodeObject(const TpmObject& o);
// Inverse of encodeObject; nullopt for anything malformed or inconsistent
// (unknown hierarchy, unimplemented nameAlg, type mismatch, trailing bytes).
std::optional<TpmObject> decodeObject(std::span<const uint8_t> b, const std::vector<uint16_t>& hashAlgs);

}  // namespace dlsim::tpm
