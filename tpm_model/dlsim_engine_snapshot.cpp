// DlsimEngine::saveState / restoreState: the whole TpmState as tagged,
// versioned little-endian fields (StateWriter / StateReader), so a
// machine snapshot can put the TPM back exactly where it was. Hash sequences
// are kept as their input so far (Botan has no state export) and replayed.
// A restore parses everything into a fresh TpmState first and swaps it in
// only when the whole input was valid.
#include <algorithm>

#include "sim/errors.h"
#include "tpm_model/dlsim_engine.h"
#include "sim/codec/state_codec.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

constexpr uint32_t kTag = 0x4D505444;  // "DTPM"
// Version 2: loaded key/data objects, the context sequence and the object
// creation counter.
constexpr uint8_t kVersion = 2;
constexpr uint64_t kMaxObjectEncoding = 4096;
constexpr uint64_t kMaxAlgs = 16;
constexpr uint64_t kMaxNvIndices = 4096;
constexpr uint64_t kMaxAuth = 64;
constexpr uint64_t kMaxRngPending = 256;
// Bytes fed to one open sequence; far beyond anything a driver does, only
// there so a corrupted length cannot ask for an absurd allocation.
constexpr uint64_t kMaxSequenceInput = uint64_t(1) << 32;
constexpr std::string_view kWhat = "dlsim tpm engine";

void putAlgs(StateWriter& w, const std::vector<uint16_t>& algs) {
  w.u8(uint8_t(algs.size()));
  for (uint16_t a : algs) w.u16(a);
}

std::vector<uint16_t> getAlgs(StateReader& r, const char* field) {
  uint8_t n = r.u8(field);
  if (n > kMaxAlgs) r.fail(field, "count " + std::to_string(n) + " exceeds " + std::to_string(kMaxAlgs));
  std::vector<uint16_t> algs;
  for (uint8_t i = 0; i < n; ++i) algs.push_back(r.u16(field));
  return algs;
}

void putSequence(StateWriter& w, const HashSequence& s) {
  w.flag(s.event);
  w.u16(s.event ? 0 : s.parts.at(0).alg);
  w.bytes(s.auth);
  w.bytes(s.fed);
}

HashSequence getSequence(StateReader& r, const TpmState& st, const char* field) {
  bool event = r.flag(field);
  uint16_t alg = r.u16(field);
  if (!event && !st.hashImplemented(alg))
    r.fail(field, "hash sequence algorithm " + hashAlgName(alg) + " is not implemented");
  if (event && alg != 0) r.fail(field, "event sequence with algorithm " + hashAlgName(alg));
  HashSequence s = st.newSequence(event, alg);
  s.auth = r.bytes(field, kMaxAuth);
  s.update(r.bytes(field, kMaxSequenceInput));
  return s;
}

void putPcrs(StateWriter& w, const TpmState& st) {
  for (uint16_t a : st.pcrs.algs())
    for (unsigned p = 0; p < kPcrCount; ++p) w.bytes(*st.pcrs.value(a, p));
  w.u32(st.pcrs.updateCounter);
}

// One digest of `alg`'s size.
std::vector<uint8_t> getDigest(StateReader& r, uint16_t alg, const char* field) {
  size_t size = *hashDigestSize(alg);
  auto v = r.bytes(field, size);
  if (v.size() != size)
    r.fail(field, hashAlgName(alg) + " value of " + std::to_string(v.size()) + " bytes, not " + std::to_string(size));
  return v;
}

}  // namespace

std::vector<uint8_t> DlsimEngine::saveState() const {
  const TpmState& s = *st_;
  StateWriter w;
  w.u32(kTag);
  w.u8(kVersion);
  // Configuration.
  putAlgs(w, s.config.hashAlgs);
  putAlgs(w, s.config.pcrBanks);
  w.u64(s.config.rngSeed);
  w.u32(s.config.manufacturer);
  for (uint32_t v : s.config.vendorString) w.u32(v);
  w.u32(s.config.firmwareVersion1);
  w.u32(s.config.firmwareVersion2);
  // PCRs and RNG position.
  putPcrs(w, s);
  w.u64(s.rng.counter());
  w.bytes(s.rng.pending());
  // Volatile.
  w.flag(s.started);
  w.flag(s.drtmPreStartup);
  w.flag(s.startupLocality3);
  w.flag(s.drtm.has_value());
  if (s.drtm) putSequence(w, *s.drtm);
  w.u64(s.objects.size());
  for (const auto& [handle, seq] : s.objects) {
    w.u32(handle);
    putSequence(w, seq);
  }
  w.u32(s.nextObjectHandle);
  w.u64(s.keys.size());
  for (const auto& [handle, o] : s.keys) {
    w.u32(handle);
    w.bytes(encodeObject(o));
  }
  w.u64(s.contextSequence);
  w.u64(s.objectsCreated);
  // NV and what survives _TPM_Init.
  w.u64(s.nv.size());
  for (const auto& [index, n] : s.nv) {
    w.u32(n.index);
    w.u16(n.nameAlg);
    w.u32(n.attributes);
    w.bytes(n.authPolicy);
    w.bytes(n.auth);
    w.bytes(n.data);
  }
  w.flag(s.established);
  w.u8(uint8_t(s.orderly));
  w.flag(s.savedPreStartup);
  w.flag(s.savedLocality3);
  w.flag(!s.savedPcrs.empty());
  for (const auto& bank : s.savedPcrs)
    for (const auto& v : bank) w.bytes(v);
  w.u32(s.savedUpdateCounter);
  w.u32(s.resetCount);
  w.u32(s.restartCount);
  w.u32(s.clearCount);
  return w.take();
}

void DlsimEngine::restoreState(std::span<const uint8_t> state) {
  const std::string what(kWhat);
  StateReader r(state, what);
  r.expectHeader(kTag, kVersion);
  EngineConfig c;
  c.hashAlgs = getAlgs(r, "hash_algs");
  c.pcrBanks = getAlgs(r, "pcr_banks");
  c.rngSeed = r.u64("rng_seed");
  c.manufacturer = r.u32("manufacturer");
  for (auto& v : c.vendorString) v = r.u32("vendor_string");
  c.firmwareVersion1 = r.u32("firmware_version_1");
  c.firmwareVersion2 = r.u32("firmware_version_2");
  // The constructor checks the configuration (InputError naming the snapshot).
  DlsimEngine fresh(c, what + " snapshot: configuration");
  TpmState& s = *fresh.st_;

  for (uint16_t a : s.config.pcrBanks)
    for (unsigned p = 0; p < kPcrCount; ++p) *s.pcrs.value(a, p) = getDigest(r, a, "pcr_value");
  s.pcrs.updateCounter = r.u32("pcr_update_counter");
  uint64_t counter = r.u64("rng_counter");
  s.rng.setPosition(counter, r.bytes("rng_pending", kMaxRngPending));

  s.started = r.flag("started");
  s.drtmPreStartup = r.flag("drtm_pre_startup");
  s.startupLocality3 = r.flag("startup_locality3");
  if (r.flag("drtm_open")) s.drtm = getSequence(r, s, "drtm_sequence");
  uint64_t objects = r.bounded("object_count", kMaxLoadedObjects);
  for (uint64_t i = 0; i < objects; ++i) {
    uint32_t handle = r.u32("object_handle");
    if (handle < kTransientFirst || handle >= kTransientFirst + kMaxLoadedObjects)
      r.fail("object_handle", "handle " + std::to_string(handle) + " is not a transient object slot");
    if (s.objects.count(handle)) r.fail("object_handle", "handle " + std::to_string(handle) + " appears twice");
    s.objects.emplace(handle, getSequence(r, s, "object_sequence"));
  }
  s.nextObjectHandle = r.u32("next_object_handle");
  uint64_t keys = r.bounded("key_object_count", kMaxLoadedObjects - s.objects.size());
  for (uint64_t i = 0; i < keys; ++i) {
    uint32_t handle = r.u32("key_object_handle");
    if (handle < kTransientFirst || handle >= kTransientFirst + kMaxLoadedObjects)
      r.fail("key_object_handle", "handle " + std::to_string(handle) + " is not a transient object slot");
    if (s.objects.count(handle) || s.keys.count(handle))
      r.fail("key_object_handle", "handle " + std::to_string(handle) + " appears twice");
    auto o = decodeObject(r.bytes("key_object", kMaxObjectEncoding), s.config.hashAlgs);
    if (!o) r.fail("key_object", "object at handle " + std::to_string(handle) + " does not decode");
    s.keys.emplace(handle, std::move(*o));
  }
  s.contextSequence = r.u64("context_sequence");
  s.objectsCreated = r.u64("objects_created");

  uint64_t nvCount = r.bounded("nv_count", kMaxNvIndices);
  for (uint64_t i = 0; i < nvCount; ++i) {
    NvIndex n;
    n.index = r.u32("nv_index");
    if (n.index < 0x01000000 || n.index > 0x01FFFFFF)
      r.fail("nv_index", "index " + std::to_string(n.index) + " is outside 0x01000000-0x01FFFFFF");
    if (s.nv.count(n.index)) r.fail("nv_index", "index " + std::to_string(n.index) + " appears twice");
    n.nameAlg = r.u16("nv_name_alg");
    if (!s.hashImplemented(n.nameAlg)) r.fail("nv_name_alg", hashAlgName(n.nameAlg) + " is not implemented");
    n.attributes = r.u32("nv_attributes");
    n.authPolicy = r.bytes("nv_auth_policy", kMaxAuth);
    n.auth = r.bytes("nv_auth", kMaxAuth);
    n.data = r.bytes("nv_data", kMaxNvIndexSize);
    s.nv.emplace(n.index, std::move(n));
  }
  s.established = r.flag("established");
  uint8_t orderly = r.u8("orderly");
  if (orderly > uint8_t(TpmState::Orderly::State))
    r.fail("orderly", "value " + std::to_string(orderly) + " is not 0..2");
  s.orderly = TpmState::Orderly(orderly);
  s.savedPreStartup = r.flag("saved_pre_startup");
  s.savedLocality3 = r.flag("saved_locality3");
  if (r.flag("saved_pcrs_present")) {
    for (uint16_t a : s.config.pcrBanks) {
      std::vector<std::vector<uint8_t>> bank;
      for (unsigned p = 0; p < kPcrCount; ++p) bank.push_back(getDigest(r, a, "saved_pcr_value"));
      s.savedPcrs.push_back(std::move(bank));
    }
  }
  s.savedUpdateCounter = r.u32("saved_update_counter");
  s.resetCount = r.u32("reset_count");
  s.restartCount = r.u32("restart_count");
  s.clearCount = r.u32("clear_count");
  r.expectEnd();
  st_ = std::move(fresh.st_);
}

}  // namespace dlsim::tpm
