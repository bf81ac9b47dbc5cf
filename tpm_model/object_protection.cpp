// Sensitive-area and context protection (see object_protection.h).
#include "tpm_model/object_protection.h"

#include <botan/cipher_mode.h>

#include "tpm_model/hierarchy_secrets.h"
#include "tpm_model/tpm_alg.h"
#include "tpm_model/tpm_kdf.h"

namespace dlsim::tpm {
namespace {

constexpr uint16_t kContextHash = alg::kSha512;

std::vector<uint8_t> aesCfb(bool encrypt, std::span<const uint8_t> key, std::span<const uint8_t> iv,
                            std::span<const uint8_t> data) {
  auto mode = Botan::Cipher_Mode::create_or_throw("AES-" + std::to_string(key.size() * 8) + "/CFB",
                                                  encrypt ? Botan::ENCRYPTION : Botan::DECRYPTION);
  mode->set_key(key.data(), key.size());
  mode->start(iv.data(), iv.size());
  Botan::secure_vector<uint8_t> buf(data.begin(), data.end());
  mode->finish(buf);
  return std::vector<uint8_t>(buf.begin(), buf.end());
}

std::vector<uint8_t> be(uint64_t v, int bytes) {
  std::vector<uint8_t> b;
  for (int i = bytes - 1; i >= 0; --i) b.push_back(uint8_t(v >> (8 * i)));
  return b;
}

bool equalConstTime(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  uint8_t d = 0;
  for (size_t i = 0; i < a.size(); ++i) d |= uint8_t(a[i] ^ b[i]);
  return d == 0;
}

struct ParentKeys {
  std::vector<uint8_t> symKey, hmacKey;
  uint16_t hashAlg;
};

ParentKeys parentKeys(const TpmObject& parent, std::span<const uint8_t> name) {
  ParentKeys k;
  k.hashAlg = parent.pub.nameAlg;
  k.symKey = kdfa(k.hashAlg, parent.sens.seedValue, "STORAGE", name, {}, parent.pub.symmetric.keyBits);
  k.hmacKey = kdfa(k.hashAlg, parent.sens.seedValue, "INTEGRITY", {}, {}, uint32_t(*hashDigestSize(k.hashAlg) * 8));
  return k;
}

}  // namespace

std::vector<uint8_t> wrapSensitive(const TpmObject& parent, std::span<const uint8_t> name, const SensitiveArea& s,
                                   std::span<const uint8_t> iv) {
  ParentKeys k = parentKeys(parent, name);
  WireWriter sens;
  sens.tpm2b(marshalSensitive(s));
  WireWriter body;
  body.tpm2b(iv);
  body.bytes(aesCfb(true, k.symKey, iv, sens.data()));
  auto mac = hmac(k.hashAlg, k.hmacKey, {body.data(), name});
  WireWriter out;
  out.tpm2b(mac);
  out.bytes(body.data());
  return std::move(out.data());
}

SensitiveArea unwrapSensitive(const TpmObject& parent, std::span<const uint8_t> name, std::span<const uint8_t> priv) {
  ParentKeys k = parentKeys(parent, name);
  WireReader r(priv);
  auto integrity = r.tpm2b(kMaxDigest);
  auto body = r.bytes(r.remaining());
  if (!equalConstTime(integrity, hmac(k.hashAlg, k.hmacKey, {body, name}))) throw TpmError(rc::kIntegrity);
  WireReader b(body);
  auto iv = b.tpm2b(16);
  if (iv.size() != 16) throw TpmError(rc::kValue);
  auto plain = aesCfb(false, k.symKey, iv, b.bytes(b.remaining()));
  try {
    WireReader p(plain);
    uint16_t size = p.u16();
    size_t start = p.position();
    SensitiveArea s = readSensitive(p);
    if (p.position() - start != size || p.remaining() != 0) throw TpmError(rc::kSensitive);
    return s;
  } catch (const TpmError&) {
    throw TpmError(rc::kSensitive);
  }
}

namespace {

std::vector<uint8_t> contextMac(const TpmState& st, uint32_t hierarchy, uint64_t sequence, uint32_t savedHandle,
                                std::span<const uint8_t> enc) {
  auto proof = hierarchyProof(st, hierarchy);
  auto reset = be(st.resetCount, 4);
  auto seq = be(sequence, 8);
  // An stClear object's context also dies at TPM Restart.
  auto clear = savedHandle == 0x80000002 ? be(st.clearCount, 4) : std::vector<uint8_t>{};
  auto h = be(savedHandle, 4);
  return hmac(kContextHash, proof, {reset, clear, seq, h, enc});
}

std::vector<uint8_t> contextKeyIv(const TpmState& st, uint32_t hierarchy, uint64_t sequence, uint32_t savedHandle) {
  auto proof = hierarchyProof(st, hierarchy);
  return kdfa(alg::kSha256, proof, "CONTEXT", be(sequence, 8), be(savedHandle, 4), 256 + 128);
}

}  // namespace

std::vector<uint8_t> protectContext(const TpmState& st, uint32_t hierarchy, uint64_t sequence, uint32_t savedHandle,
                                    std::span<const uint8_t> plain) {
  auto keyIv = contextKeyIv(st, hierarchy, sequence, savedHandle);
  auto enc = aesCfb(true, std::span(keyIv).first(32), std::span(keyIv).subspan(32), plain);
  WireWriter w;
  w.tpm2b(contextMac(st, hierarchy, sequence, savedHandle, enc));
  w.bytes(enc);
  return std::move(w.data());
}

std::vector<uint8_t> unprotectContext(const TpmState& st, uint32_t hierarchy, uint64_t sequence, uint32_t savedHandle,
                                      std::span<const uint8_t> blob) {
  WireReader r(blob);
  std::vector<uint8_t> integrity;
  try {
    integrity = r.tpm2b(kMaxDigest);
  } catch (const TpmError&) {
    throw TpmError(rc::kSize);
  }
  auto enc = r.bytes(r.remaining());
  if (!equalConstTime(integrity, contextMac(st, hierarchy, sequence, savedHandle, enc)))
    throw TpmError(rc::kIntegrity);
  auto keyIv = contextKeyIv(st, hierarchy, sequence, savedHandle);
  return aesCfb(false, std::span(keyIv).first(32), std::span(keyIv).subspan(32), enc);
}

}  // namespace dlsim::tpm
