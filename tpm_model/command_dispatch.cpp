// TPM command processing in the order of the TPM 2.0 reference ExecuteCommand
// (Part 3 §5): tag, size, command code, initialization, handles, handle load
// status, sessions, parameters, action; then the response framing (error
// responses are always tag 0x8001, size 10).
#include "tpm_model/command_dispatch.h"

#include <algorithm>

namespace dlsim::tpm {
namespace {

constexpr uint16_t kStNoSessions = 0x8001;
constexpr uint16_t kStSessions = 0x8002;
constexpr uint16_t kTagRquCommand = 0x00C1;  // TPM 1.2 request tag
constexpr uint16_t kTagRspCommand = 0x00C4;  // TPM 1.2 response tag
constexpr unsigned kMaxSessions = 3;
constexpr size_t kMaxAuthSize = 64;  // sizeof(TPMU_HA) with SHA-512
constexpr Rc kReferenceH0 = 0x910;
constexpr Rc kReferenceS0 = 0x918;
constexpr uint32_t kHmacSessionFirst = 0x02000000, kHmacSessionLast = 0x0200003F;
constexpr uint32_t kPolicySessionFirst = 0x03000000, kPolicySessionLast = 0x0300003F;
constexpr uint32_t kPersistentFirst = 0x81000000, kPersistentLast = 0x81FFFFFF;
constexpr uint32_t kTransientLast = kTransientFirst + kMaxLoadedObjects - 1;  // as in the reference
constexpr uint32_t kNvFirst = 0x01000000, kNvLast = 0x01FFFFFF;

std::vector<uint8_t> errorResponse(Rc code, uint16_t tag = kStNoSessions) {
  WireWriter w;
  w.u16(tag);
  w.u32(10);
  w.u32(code);
  return std::move(w.data());
}

const CommandSpec* findCommand(uint32_t cc) {
  const auto& t = commandTable();
  auto it = std::lower_bound(t.begin(), t.end(), cc,
                             [](const CommandSpec& s, uint32_t c) { return s.cc < c; });
  return (it != t.end() && it->cc == cc) ? &*it : nullptr;
}

// TPMI_* unmarshal of one handle; returns a format-one code without position.
Rc checkHandleValue(HandleKind kind, uint32_t h) {
  switch (kind) {
    case HandleKind::Pcr:
      return h < kPcrCount ? rc::kSuccess : rc::kValue;
    case HandleKind::PcrOrNull:
      return (h < kPcrCount || h == handle::kNull) ? rc::kSuccess : rc::kValue;
    case HandleKind::Object:
      return ((h >= kTransientFirst && h <= kTransientLast) ||
              (h >= kPersistentFirst && h <= kPersistentLast))
                 ? rc::kSuccess
                 : rc::kValue;
    case HandleKind::NvIndex:
      return (h >= kNvFirst && h <= kNvLast) ? rc::kSuccess : rc::kValue;
    case HandleKind::NvAuth:
      return (h == handle::kOwner || h == handle::kPlatform || (h >= kNvFirst && h <= kNvLast))
                 ? rc::kSuccess
                 : rc::kValue;
    case HandleKind::Provision:
      return (h == handle::kOwner || h == handle::kPlatform) ? rc::kSuccess : rc::kValue;
    case HandleKind::Hierarchy:
      return (h == handle::kOwner || h == handle::kPlatform || h == handle::kEndorsement || h == handle::kNull)
                 ? rc::kSuccess
                 : rc::kValue;
    case HandleKind::Context:
      return ((h >= kTransientFirst && h <= kTransientLast) || (h >= kHmacSessionFirst && h <= kHmacSessionLast) ||
              (h >= kPolicySessionFirst && h <= kPolicySessionLast))
                 ? rc::kSuccess
                 : rc::kValue;
  }
  return rc::kValue;
}

// EntityGetLoadStatus: does the entity exist? (full code with position)
Rc checkHandleLoaded(const TpmState& st, uint32_t h, unsigned index) {
  if (h >= kTransientFirst && h <= kTransientLast)
    return (st.objects.count(h) || st.keys.count(h)) ? rc::kSuccess : kReferenceH0 + index;
  // No HMAC or policy session is ever loaded.
  if ((h >= kHmacSessionFirst && h <= kHmacSessionLast) || (h >= kPolicySessionFirst && h <= kPolicySessionLast))
    return kReferenceH0 + index;
  if (h >= kPersistentFirst && h <= kPersistentLast) return rcHandle(rc::kHandle, index + 1);
  if (h >= kNvFirst && h <= kNvLast)
    return st.nv.count(h) ? rc::kSuccess : rcHandle(rc::kHandle, index + 1);
  return rc::kSuccess;
}

std::vector<uint8_t> stripTrailingZeros(std::vector<uint8_t> v) {
  while (!v.empty() && v.back() == 0) v.pop_back();
  return v;
}

// Dictionary-attack protected entities answer a wrong password with
// TPM_RC_AUTH_FAIL, exempt ones (PCRs, hierarchies other than lockout,
// sequence objects, NV indices with TPMA_NV_NO_DA, objects with
// TPMA_OBJECT_NO_DA) with TPM_RC_BAD_AUTH.
bool daProtected(const TpmState& st, uint32_t h) {
  if (h == handle::kLockout) return true;
  if (const TpmObject* o = findObject(st, h)) return !o->pub.has(oa::kNoDa);
  if (h >= kNvFirst && h <= kNvLast) {
    auto it = st.nv.find(h);
    return it != st.nv.end() && !(it->second.attributes & nva::kNoDa);
  }
  return false;
}

struct Session {
  uint32_t handle;
  uint8_t attributes;
  std::vector<uint8_t> hmac;
};

// Parses and checks the authorization area; returns the number of sessions.
unsigned processSessions(TpmState& st, const CommandSpec& spec, const std::vector<uint32_t>& handles,
                         WireReader& in, std::vector<uint8_t>& rest) {
  uint32_t authSize;
  try {
    authSize = in.u32();
  } catch (const TpmError& e) {
    throw TpmError(e.code);
  }
  if (authSize < 9 || authSize > in.remaining()) throw TpmError(rc::kSize);
  auto authArea = in.bytes(authSize);
  rest = in.bytes(in.remaining());
  if (!spec.sessionsAllowed) throw TpmError(rc::kAuthContext);
  WireReader a(authArea);
  std::vector<Session> sessions;
  while (a.remaining() > 0) {
    unsigned n = unsigned(sessions.size()) + 1;
    if (sessions.size() == kMaxSessions) throw TpmError(rcSession(rc::kSize, n));
    Session s;
    try {
      s.handle = a.u32();
      bool hmac = s.handle >= kHmacSessionFirst && s.handle <= kHmacSessionLast;
      bool policy = s.handle >= kPolicySessionFirst && s.handle <= kPolicySessionLast;
      if (!hmac && !policy && s.handle != handle::kPasswordSession) throw TpmError(rc::kValue);
      auto nonce = a.tpm2b(kMaxAuthSize);
      s.attributes = a.u8();
      if (s.attributes & 0x18) throw TpmError(rc::kReservedBits);
      s.hmac = a.tpm2b(kMaxAuthSize);
      if (s.handle == handle::kPasswordSession) {
        if (s.attributes & 0xE6) throw TpmError(rc::kAttributes);
        if (!nonce.empty()) throw TpmError(rc::kNonce);
      }
    } catch (const TpmError& e) {
      throw TpmError(rcSession(e.code, n));
    }
    // No HMAC or policy session can ever be loaded in this engine.
    if (s.handle != handle::kPasswordSession) throw TpmError(kReferenceS0 + (n - 1));
    sessions.push_back(std::move(s));
  }
  for (unsigned i = 0; i < spec.handleCount; ++i)
    if ((spec.authMask >> i) & 1 && i >= sessions.size()) throw TpmError(rc::kAuthMissing);
  for (unsigned i = 0; i < sessions.size(); ++i) {
    if (i >= spec.handleCount || !((spec.authMask >> i) & 1))
      throw TpmError(rcSession(rc::kHandle, i + 1));
    // Every command here uses objects in the USER role: a password needs
    // userWithAuth (Part 1 §19.7.5).
    const TpmObject* o = findObject(st, handles[i]);
    if (o && !o->pub.has(oa::kUserWithAuth)) throw TpmError(rc::kAuthUnavailable);
    auto want = stripTrailingZeros(entityAuth(st, handles[i]));
    if (stripTrailingZeros(sessions[i].hmac) != want)
      throw TpmError(rcSession(daProtected(st, handles[i]) ? rc::kAuthFail : rc::kBadAuth, i + 1));
  }
  return unsigned(sessions.size());
}

}  // namespace

uint16_t CommandContext::hashAlg(bool allowNull) {
  uint16_t a = in.u16();
  if (a == 0x0010 && allowNull) return a;
  if (!st.hashImplemented(a)) throw TpmError(rc::kHash);
  return a;
}

const std::vector<CommandSpec>& commandTable() {
  static const std::vector<CommandSpec> table = [] {
    std::vector<CommandSpec> t;
    addStartupCommands(t);
    addPcrCommands(t);
    addCapabilityCommands(t);
    addHashCommands(t);
    addNvCommands(t);
    addRandomCommands(t);
    addObjectCommands(t);
    addContextCommands(t);
    std::sort(t.begin(), t.end(), [](const CommandSpec& x, const CommandSpec& y) { return x.cc < y.cc; });
    return t;
  }();
  return table;
}

std::vector<uint8_t> entityAuth(const TpmState& st, uint32_t h) {
  if (h >= kTransientFirst && h <= kTransientLast) {
    if (const TpmObject* o = findObject(st, h)) return o->sens.authValue;
    auto it = st.objects.find(h);
    return it == st.objects.end() ? std::vector<uint8_t>{} : it->second.auth;
  }
  if (h >= kNvFirst && h <= kNvLast) {
    auto it = st.nv.find(h);
    return it == st.nv.end() ? std::vector<uint8_t>{} : it->second.auth;
  }
  return {};  // PCRs and hierarchies: empty authValue
}

std::vector<uint8_t> executeCommand(TpmState& st, uint8_t locality, std::span<const uint8_t> cmd) {
  // Any command ends an open _TPM_Hash_Start sequence without effect.
  st.drtm.reset();
  WireReader in(cmd);
  uint16_t tag;
  uint32_t size, cc;
  try {
    tag = in.u16();
    if (tag == kTagRquCommand) return errorResponse(rc::kBadTag, kTagRspCommand);
    if (tag != kStNoSessions && tag != kStSessions) return errorResponse(rc::kBadTag);
    size = in.u32();
    if (size != cmd.size() || size > kMaxCommandSize) return errorResponse(rc::kCommandSize);
    cc = in.u32();
  } catch (const TpmError& e) {
    return errorResponse(e.code);
  }
  const CommandSpec* spec = findCommand(cc);
  if (!spec) return errorResponse(rc::kCommandCode);
  if (st.started == (cc == 0x144)) return errorResponse(rc::kInitialize);

  try {
    std::vector<uint32_t> handles;
    for (unsigned i = 0; i < spec->handleCount; ++i) {
      uint32_t h;
      try {
        h = in.u32();
      } catch (const TpmError& e) {
        throw TpmError(rcHandle(e.code, i + 1));
      }
      Rc r = checkHandleValue(spec->kinds[i], h);
      if (r != rc::kSuccess) throw TpmError(rcHandle(r, i + 1));
      handles.push_back(h);
    }
    for (unsigned i = 0; i < handles.size(); ++i) {
      Rc r = checkHandleLoaded(st, handles[i], i);
      if (r != rc::kSuccess) throw TpmError(r);
    }
    unsigned sessions = 0;
    std::vector<uint8_t> paramBytes;
    if (tag == kStSessions) {
      sessions = processSessions(st, *spec, handles, in, paramBytes);
    } else {
      if (spec->authMask) throw TpmError(rc::kAuthMissing);
      paramBytes = in.bytes(in.remaining());
    }
    WireReader params(paramBytes);
    CommandContext ctx{st, locality, cc, handles, params, {}, false, 0};
    spec->fn(ctx);

    WireWriter w;
    w.u16(tag);
    w.u32(0);
    w.u32(rc::kSuccess);
    if (ctx.hasResponseHandle) w.u32(ctx.responseHandle);
    if (tag == kStSessions) w.u32(uint32_t(ctx.out.size()));
    w.bytes(ctx.out.data());
    for (unsigned i = 0; i < sessions; ++i) {
      w.u16(0);   // nonceTPM: empty for a password session
      w.u8(0x01); // continueSession
      w.u16(0);   // hmac: empty
    }
    w.patch32(2, uint32_t(w.size()));
    return std::move(w.data());
  } catch (const TpmError& e) {
    return errorResponse(e.code);
  }
}

}  // namespace dlsim::tpm
