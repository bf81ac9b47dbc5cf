// The whole state of dlsim's own TPM engine, shared by the command-family
// files (pcr_commands.cpp, hash_commands.cpp, ...). Ordered containers only:
// iteration order is part of what the guest can observe.
#pragma once
#include <botan/hash.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tpm_model/deterministic_rng.h"
#include "tpm_model/object_store.h"
#include "tpm_model/pcr_banks.h"

namespace dlsim::tpm {

struct EngineConfig {
  // Hash algorithms the engine implements (TPMI_ALG_HASH accepts only these),
  // ascending. Default = libtpms 0.9.2's set.
  std::vector<uint16_t> hashAlgs = {0x0004, 0x000B, 0x000C, 0x000D};
  // Allocated PCR banks (subset of hashAlgs), ascending.
  std::vector<uint16_t> pcrBanks = {0x0004, 0x000B, 0x000C, 0x000D};
  uint64_t rngSeed = 0;
  uint32_t manufacturer = 0x444C534D;  // "DLSM"
  uint32_t vendorString[4] = {0x646C7369, 0x6D000000, 0, 0};  // "dlsim"
  uint32_t firmwareVersion1 = 0x00010000;
  uint32_t firmwareVersion2 = 0;
};

// Hash state for one algorithm.
struct HashPart {
  uint16_t alg;
  std::unique_ptr<Botan::HashFunction> fn;
};

// A hash or event sequence object (HashSequenceStart) or the D-RTM sequence.
struct HashSequence {
  bool event = false;  // event sequence: one hash per implemented algorithm
  std::vector<uint8_t> auth;
  std::vector<HashPart> parts;
  // Every byte fed so far (SequenceUpdate / _TPM_Hash_Data), in order. Botan
  // cannot export a hash's internal state, so an engine snapshot keeps the
  // input and a restore replays it. Grows by at most 1024 bytes a command.
  std::vector<uint8_t> fed;
  // Feeds `data` to every part and appends it to `fed`.
  void update(std::span<const uint8_t> data);
};

struct NvIndex {
  uint32_t index = 0;
  uint16_t nameAlg = 0;
  uint32_t attributes = 0;
  std::vector<uint8_t> authPolicy;
  std::vector<uint8_t> auth;
  std::vector<uint8_t> data;  // dataSize bytes
};

// TPMA_NV bits used by the engine.
namespace nva {
inline constexpr uint32_t kPpWrite = 1u << 0;
inline constexpr uint32_t kOwnerWrite = 1u << 1;
inline constexpr uint32_t kAuthWrite = 1u << 2;
inline constexpr uint32_t kPolicyWrite = 1u << 3;
inline constexpr uint32_t kTypeMask = 0xFu << 4;
inline constexpr uint32_t kPolicyDelete = 1u << 10;
inline constexpr uint32_t kWriteLocked = 1u << 11;
inline constexpr uint32_t kWriteAll = 1u << 12;
inline constexpr uint32_t kWriteDefine = 1u << 13;
inline constexpr uint32_t kWriteStClear = 1u << 14;
inline constexpr uint32_t kGlobalLock = 1u << 15;
inline constexpr uint32_t kPpRead = 1u << 16;
inline constexpr uint32_t kOwnerRead = 1u << 17;
inline constexpr uint32_t kAuthRead = 1u << 18;
inline constexpr uint32_t kPolicyRead = 1u << 19;
inline constexpr uint32_t kNoDa = 1u << 25;
inline constexpr uint32_t kOrderly = 1u << 26;
inline constexpr uint32_t kClearStClear = 1u << 27;
inline constexpr uint32_t kReadLocked = 1u << 28;
inline constexpr uint32_t kWritten = 1u << 29;
inline constexpr uint32_t kPlatformCreate = 1u << 30;
inline constexpr uint32_t kReadStClear = 1u << 31;
}  // namespace nva

inline constexpr unsigned kMaxLoadedObjects = 3;
inline constexpr uint32_t kTransientFirst = 0x80000000;
inline constexpr size_t kMaxDigestBuffer = 1024;
inline constexpr size_t kMaxNvBuffer = 1024;
inline constexpr size_t kMaxNvIndexSize = 2048;
inline constexpr uint32_t kMaxCommandSize = 4096;

struct TpmState {
  explicit TpmState(EngineConfig c);

  EngineConfig config;
  PcrBanks pcrs;
  DeterministicRng rng;

  // Volatile (lost at _TPM_Init).
  bool started = false;
  bool drtmPreStartup = false;  // H-CRTM sequence completed before Startup
  bool startupLocality3 = false;
  std::optional<HashSequence> drtm;      // open _TPM_Hash_Start sequence
  std::map<uint32_t, HashSequence> objects;  // loaded sequence objects by handle
  std::map<uint32_t, TpmObject> keys;        // loaded key / data objects by handle
  uint32_t nextObjectHandle = kTransientFirst;

  // Survive _TPM_Init (NV).
  std::map<uint32_t, NvIndex> nv;
  bool established = false;
  enum class Orderly { None, Clear, State } orderly = Orderly::None;
  bool savedPreStartup = false;
  bool savedLocality3 = false;
  std::vector<std::vector<std::vector<uint8_t>>> savedPcrs;  // [bank][pcr 0-15]
  uint32_t savedUpdateCounter = 0;
  uint32_t resetCount = 0;
  uint32_t restartCount = 0;
  uint32_t clearCount = 0;
  // TPMS_CONTEXT.sequence of the next ContextSave (objectContextID).
  uint64_t contextSequence = 0;
  // Ordinary objects created so far: the context of their secret values.
  uint64_t objectsCreated = 0;

  bool hashImplemented(uint16_t alg) const;
  HashSequence newSequence(bool event, uint16_t alg) const;
};

}  // namespace dlsim::tpm
