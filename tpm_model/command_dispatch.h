// Command dispatch for dlsim's TPM engine: header checks, handle area,
// session area (password sessions), parameter positions for error codes, and
// the response framing. Each command family registers its CommandSpecs.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "tpm_model/tpm_rc.h"
#include "tpm_model/tpm_state.h"
#include "tpm_model/tpm_wire.h"

namespace dlsim::tpm {

// How a handle in the handle area is unmarshaled and checked (Part 2 TPMI_*).
enum class HandleKind : uint8_t {
  Pcr,        // TPMI_DH_PCR, no NULL
  PcrOrNull,  // TPMI_DH_PCR+ (TPM_RH_NULL allowed)
  Object,     // TPMI_DH_OBJECT: transient or persistent
  NvIndex,    // TPMI_RH_NV_INDEX
  NvAuth,     // TPMI_RH_NV_AUTH: owner, platform or an NV index
  Provision,  // TPMI_RH_PROVISION: owner or platform
  Hierarchy,  // TPMI_RH_HIERARCHY+: owner, endorsement, platform or NULL
  Context,    // TPMI_DH_CONTEXT: HMAC / policy session or transient object
};

namespace handle {
inline constexpr uint32_t kOwner = 0x40000001;
inline constexpr uint32_t kNull = 0x40000007;
inline constexpr uint32_t kPasswordSession = 0x40000009;
inline constexpr uint32_t kLockout = 0x4000000A;
inline constexpr uint32_t kEndorsement = 0x4000000B;
inline constexpr uint32_t kPlatform = 0x4000000C;
inline constexpr uint32_t kPlatformNv = 0x4000000D;
}  // namespace handle

struct CommandContext {
  TpmState& st;
  uint8_t locality;
  uint32_t cc;
  std::vector<uint32_t> handles;
  WireReader& in;
  WireWriter out;                 // response parameters
  bool hasResponseHandle = false;
  uint32_t responseHandle = 0;

  // Runs one parameter's unmarshal; a TpmError from it gets parameter
  // number n attached.
  template <class F>
  auto param(unsigned n, F f) -> decltype(f()) {
    try {
      return f();
    } catch (const TpmError& e) {
      throw TpmError(rcParam(e.code, n));
    }
  }
  // All parameters read: trailing bytes are TPM_RC_SIZE.
  void endParams() const {
    if (in.remaining() != 0) throw TpmError(rc::kSize);
  }
  // TPMI_ALG_HASH: an implemented hash (or TPM_ALG_NULL if allowNull), else
  // TPM_RC_HASH.
  uint16_t hashAlg(bool allowNull);
};

using CommandHandler = void (*)(CommandContext&);

struct CommandSpec {
  uint32_t cc;
  const char* name;
  uint8_t handleCount;
  HandleKind kinds[2];
  uint8_t authMask;  // bit i: handle i needs an authorization session
  bool sessionsAllowed;
  CommandHandler fn;
};

// Command families (one file each).
void addStartupCommands(std::vector<CommandSpec>& t);
void addPcrCommands(std::vector<CommandSpec>& t);
void addCapabilityCommands(std::vector<CommandSpec>& t);
void addHashCommands(std::vector<CommandSpec>& t);
void addNvCommands(std::vector<CommandSpec>& t);
void addRandomCommands(std::vector<CommandSpec>& t);
void addObjectCommands(std::vector<CommandSpec>& t);
void addContextCommands(std::vector<CommandSpec>& t);

// All implemented commands, ascending command code.
const std::vector<CommandSpec>& commandTable();

// Executes one command at `locality`: the whole TPM-side processing.
std::vector<uint8_t> executeCommand(TpmState& st, uint8_t locality, std::span<const uint8_t> cmd);

// Authorization value of an entity referenced by a handle (PCR, hierarchy, NV
// index, sequence or key object).
std::vector<uint8_t> entityAuth(const TpmState& st, uint32_t h);

}  // namespace dlsim::tpm
