// LibtpmsEngine::saveState / restoreState. libtpms 0.9 exports the running
// TPM's permanent and volatile state (TPMLIB_GetState) and, after
// TPMLIB_Terminate, accepts them back (TPMLIB_SetState, permanent first) for
// the next TPMLIB_MainInit, which then resumes instead of running _TPM_Init
// (the swtpm migration path). tpmEstablished travels in the volatile blob.
// Around the blobs: the in-memory NV files, the GetRandom stream position and
// whether a locality-4 hash sequence is open.
#include <cstdlib>

extern "C" {
#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <libtpms/tpm_memory.h>
}

#include "sim/errors.h"
#include "sim/codec/state_codec.h"
#include "tpm_model/libtpms_engine.h"

namespace dlsim::tpm {
namespace {

constexpr uint32_t kTag = 0x4D50544C;  // "LTPM"
constexpr uint8_t kVersion = 1;
constexpr uint64_t kMaxFiles = 16;
constexpr uint64_t kMaxName = 64;
constexpr uint64_t kMaxBlob = 16u << 20;
constexpr uint64_t kMaxRngPending = 256;
const char* const kWhat = "libtpms tpm engine";

std::vector<uint8_t> getBlob(TPMLIB_StateType type, const char* name) {
  unsigned char* buf = nullptr;
  uint32_t len = 0;
  TPM_RESULT r = TPMLIB_GetState(type, &buf, &len);
  if (r != TPM_SUCCESS || !buf)
    throw InternalError(std::string("tpm: TPMLIB_GetState(") + name + ") failed with " + std::to_string(r));
  std::vector<uint8_t> out(buf, buf + len);
  TPM_Free(buf);
  return out;
}

}  // namespace

struct LibtpmsEngine::Saved {
  std::map<std::string, std::vector<uint8_t>> nv;
  std::vector<uint8_t> permanent, volatileState;
  uint64_t rngSeed = 0, rngCounter = 0;
  std::vector<uint8_t> rngPending;
  bool hashOpen = false;
};

std::vector<uint8_t> LibtpmsEngine::saveState() const {
  if (!running_) throw InternalError("tpm: libtpms engine snapshot while libtpms is not running");
  StateWriter w;
  w.u32(kTag);
  w.u8(kVersion);
  w.u64(nv_.size());
  for (const auto& [name, data] : nv_) {
    w.bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(name.data()), name.size()));
    w.bytes(data);
  }
  w.bytes(getBlob(TPMLIB_STATE_PERMANENT, "PERMANENT"));
  w.bytes(getBlob(TPMLIB_STATE_VOLATILE, "VOLATILE"));
  w.u64(rng_.seed());
  w.u64(rng_.counter());
  w.bytes(rng_.pending());
  w.flag(hashOpen_);
  return w.take();
}

LibtpmsEngine::Saved LibtpmsEngine::parseState(std::span<const uint8_t> state) const {
  StateReader r(state, kWhat);
  r.expectHeader(kTag, kVersion);
  Saved s;
  uint64_t files = r.bounded("nv_file_count", kMaxFiles);
  for (uint64_t i = 0; i < files; ++i) {
    auto name = r.bytes("nv_file_name", kMaxName);
    std::string n(name.begin(), name.end());
    if (n.empty() || n.find('\0') != std::string::npos) r.fail("nv_file_name", "empty or contains NUL");
    if (s.nv.count(n)) r.fail("nv_file_name", "'" + n + "' appears twice");
    s.nv[n] = r.bytes("nv_file_data", kMaxBlob);
  }
  s.permanent = r.bytes("permanent_state", kMaxBlob);
  if (s.permanent.empty()) r.fail("permanent_state", "empty");
  s.volatileState = r.bytes("volatile_state", kMaxBlob);
  if (s.volatileState.empty()) r.fail("volatile_state", "empty");
  s.rngSeed = r.u64("rng_seed");
  s.rngCounter = r.u64("rng_counter");
  s.rngPending = r.bytes("rng_pending", kMaxRngPending);
  s.hashOpen = r.flag("hash_open");
  r.expectEnd();
  return s;
}

// Replaces the running TPM by the saved one. Throws InputError when libtpms
// refuses a blob; libtpms is then stopped and the caller reinstalls a backup.
void LibtpmsEngine::install(const Saved& s) {
  stop();
  nv_ = s.nv;
  registerWithLibtpms();
  auto refuse = [](const char* field, const char* call, TPM_RESULT rc) {
    throw InputError(std::string(kWhat) + " snapshot: field " + field + ": libtpms refused it (" + call +
                     " returned " + std::to_string(rc) + ")");
  };
  TPM_RESULT rc = TPMLIB_SetState(TPMLIB_STATE_PERMANENT, s.permanent.data(), uint32_t(s.permanent.size()));
  if (rc != TPM_SUCCESS) refuse("permanent_state", "TPMLIB_SetState", rc);
  rc = TPMLIB_SetState(TPMLIB_STATE_VOLATILE, s.volatileState.data(), uint32_t(s.volatileState.size()));
  if (rc != TPM_SUCCESS) refuse("volatile_state", "TPMLIB_SetState", rc);  // libtpms dropped both blobs
  rc = TPMLIB_MainInit();
  if (rc != TPM_SUCCESS) {
    TPMLIB_Terminate();
    refuse("volatile_state", "TPMLIB_MainInit", rc);
  }
  running_ = true;
  hashOpen_ = s.hashOpen;
  locality_ = 0;
  rng_ = DeterministicRng(s.rngSeed);
  rng_.setPosition(s.rngCounter, s.rngPending);
}

void LibtpmsEngine::restoreState(std::span<const uint8_t> state) {
  Saved wanted = parseState(state);  // malformed input: nothing touched yet
  Saved backup = parseState(saveState());
  try {
    install(wanted);
  } catch (const InputError&) {
    install(backup);
    throw;
  }
}

}  // namespace dlsim::tpm
