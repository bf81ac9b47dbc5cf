// TPM2_ContextSave, TPM2_ContextLoad and TPM2_FlushContext (Part 3 §28.2-28.4)
// for transient objects. A saved object context is TPMS_CONTEXT {sequence,
// savedHandle 0x80000000 (0x80000002 for stClear objects), hierarchy,
// contextBlob = integrity || encrypted encodeObject()} protected as
// object_protection.h describes. dlsim has no HMAC or policy sessions, and
// hash sequences cannot be saved (TPM_RC_MODE on the handle,
// DIFFERENCES.md).
#include "tpm_model/command_dispatch.h"
#include "tpm_model/object_protection.h"
#include "tpm_model/object_store.h"

namespace dlsim::tpm {
namespace {

constexpr uint32_t kSavedObject = 0x80000000;
constexpr uint32_t kSavedSequence = 0x80000001;
constexpr uint32_t kSavedStClear = 0x80000002;
constexpr size_t kMaxContextData = 2680;  // TPM2B_CONTEXT_DATA (MAX_CONTEXT_SIZE)

bool isSession(uint32_t h) { return (h >= 0x02000000 && h <= 0x0200003F) || (h >= 0x03000000 && h <= 0x0300003F); }

void contextSave(CommandContext& c) {
  c.endParams();
  const TpmObject* o = findObject(c.st, c.handles[0]);
  if (!o) throw TpmError(rcHandle(rc::kMode, 1));  // a hash sequence
  if (c.st.contextSequence == UINT64_MAX) throw TpmError(rc::kTooManyContexts);
  uint64_t sequence = c.st.contextSequence++;
  uint32_t saved = o->pub.has(oa::kStClear) ? kSavedStClear : kSavedObject;
  auto blob = protectContext(c.st, o->hierarchy, sequence, saved, encodeObject(*o));
  c.out.u32(uint32_t(sequence >> 32));
  c.out.u32(uint32_t(sequence));
  c.out.u32(saved);
  c.out.u32(o->hierarchy);
  c.out.tpm2b(blob);
}

struct SavedContext {
  uint64_t sequence;
  uint32_t savedHandle;
  uint32_t hierarchy;
  std::vector<uint8_t> blob;
};

SavedContext readContext(CommandContext& c) {
  SavedContext s;
  uint64_t hi = c.in.u32();
  s.sequence = (hi << 32) | c.in.u32();
  s.savedHandle = c.in.u32();  // TPMI_DH_SAVED
  if (s.savedHandle != kSavedObject && s.savedHandle != kSavedSequence && s.savedHandle != kSavedStClear &&
      !isSession(s.savedHandle))
    throw TpmError(rc::kValue);
  s.hierarchy = c.in.u32();  // TPMI_RH_HIERARCHY+
  if (s.hierarchy != handle::kOwner && s.hierarchy != handle::kEndorsement && s.hierarchy != handle::kPlatform &&
      s.hierarchy != handle::kNull)
    throw TpmError(rc::kValue);
  s.blob = c.in.tpm2b(kMaxContextData);
  return s;
}

void contextLoad(CommandContext& c) {
  SavedContext s = c.param(1, [&] { return readContext(c); });
  c.endParams();
  // No session was ever saved by this engine.
  if (isSession(s.savedHandle)) throw TpmError(rcParam(rc::kHandle, 1));
  auto slot = freeTransientHandle(c.st);
  if (!slot) throw TpmError(rc::kObjectMemory);
  std::vector<uint8_t> plain;
  try {
    plain = unprotectContext(c.st, s.hierarchy, s.sequence, s.savedHandle, s.blob);
  } catch (const TpmError& e) {
    throw TpmError(e.code == rc::kSize ? e.code : rcParam(e.code, 1));
  }
  auto o = decodeObject(plain, c.st.config.hashAlgs);
  if (!o || o->hierarchy != s.hierarchy) throw TpmError(rcParam(rc::kIntegrity, 1));
  c.hasResponseHandle = true;
  c.responseHandle = *slot;
  c.st.keys.emplace(*slot, std::move(*o));
}

void flushContext(CommandContext& c) {
  uint32_t h = c.param(1, [&] {
    uint32_t v = c.in.u32();  // TPMI_DH_CONTEXT
    bool transient = v >= kTransientFirst && v < kTransientFirst + kMaxLoadedObjects;
    if (!isSession(v) && !transient) throw TpmError(rc::kValue);
    return v;
  });
  c.endParams();
  if (!flushTransient(c.st, h)) throw TpmError(rcParam(rc::kHandle, 1));
}

}  // namespace

void addContextCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x162, "ContextSave", 1, {HandleKind::Context}, 0, true, contextSave});
  t.push_back({0x161, "ContextLoad", 0, {}, 0, true, contextLoad});
  t.push_back({0x165, "FlushContext", 0, {}, 0, false, flushContext});
}

}  // namespace dlsim::tpm
