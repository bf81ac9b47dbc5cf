// Unmarshal / marshal of TPMT_PUBLIC and TPMT_SENSITIVE (see
// object_templates.h). The accepted values are libtpms 0.9.2's build
// (AES 128/192/256, RSA 1024/2048/3072, the curves it implements); the
// response code for each bad field is the one Part 2's TPMI_* unmarshal
// defines.
#include "tpm_model/object_templates.h"

#include <algorithm>

#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

constexpr uint16_t kAlgNull = alg::kNull;
constexpr uint16_t kSymCipher = 0x0025;

bool oneOf(uint16_t v, std::initializer_list<uint16_t> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

uint16_t readHash(WireReader& in, const std::vector<uint16_t>& hashAlgs, bool allowNull) {
  uint16_t a = in.u16();
  if (a == kAlgNull && allowNull) return a;
  if (std::find(hashAlgs.begin(), hashAlgs.end(), a) == hashAlgs.end()) throw TpmError(rc::kHash);
  return a;
}

// TPMT_SYM_DEF_OBJECT(+).
SymDef readSymDef(WireReader& in, bool allowNull) {
  SymDef s;
  s.alg = in.u16();
  if (s.alg == kAlgNull && allowNull) return s;
  if (s.alg != alg::kAes) throw TpmError(rc::kSymmetric);
  s.keyBits = in.u16();
  if (!oneOf(s.keyBits, {128, 192, 256})) throw TpmError(rc::kValue);
  s.mode = in.u16();
  if (!oneOf(s.mode, {0x0040, 0x0041, 0x0042, 0x0043, 0x0044})) throw TpmError(rc::kMode);
  return s;
}

void writeSymDef(WireWriter& w, const SymDef& s) {
  w.u16(s.alg);
  if (s.alg == kAlgNull) return;
  w.u16(s.keyBits);
  w.u16(s.mode);
}

// TPMT_KEYEDHASH_SCHEME+: HMAC (hash), XOR (hash, kdf), NULL.
Scheme readKeyedHashScheme(WireReader& in, const std::vector<uint16_t>& hashAlgs) {
  Scheme s;
  s.alg = in.u16();
  if (s.alg == kAlgNull) return s;
  if (s.alg != alg::kHmac && s.alg != 0x000A) throw TpmError(rc::kValue);
  s.hashAlg = readHash(in, hashAlgs, false);
  if (s.alg == 0x000A) {
    s.kdf = in.u16();
    if (!oneOf(s.kdf, {0x0007, 0x0020, 0x0021, 0x0022, kAlgNull})) throw TpmError(rc::kKdf);
  }
  return s;
}

// TPMT_RSA_SCHEME+: RSASSA, RSAPSS, OAEP (hash), RSAES, NULL.
Scheme readRsaScheme(WireReader& in, const std::vector<uint16_t>& hashAlgs) {
  Scheme s;
  s.alg = in.u16();
  if (s.alg == kAlgNull || s.alg == 0x0015) return s;
  if (!oneOf(s.alg, {0x0014, 0x0016, 0x0017})) throw TpmError(rc::kValue);
  s.hashAlg = readHash(in, hashAlgs, false);
  return s;
}

// TPMT_ECC_SCHEME+: ECDSA, ECDH, ECDAA (hash, count), SM2, ECSCHNORR, ECMQV, NULL.
Scheme readEccScheme(WireReader& in, const std::vector<uint16_t>& hashAlgs) {
  Scheme s;
  s.alg = in.u16();
  if (s.alg == kAlgNull) return s;
  if (!oneOf(s.alg, {0x0018, 0x0019, 0x001A, 0x001B, 0x001C, 0x001D})) throw TpmError(rc::kScheme);
  s.hashAlg = readHash(in, hashAlgs, false);
  if (s.alg == 0x001A) s.count = in.u16();
  return s;
}

// TPMT_KDF_SCHEME+: MGF1, KDF1_SP800_56A, KDF2, KDF1_SP800_108 (hash), NULL.
Scheme readKdfScheme(WireReader& in, const std::vector<uint16_t>& hashAlgs) {
  Scheme s;
  s.alg = in.u16();
  if (s.alg == kAlgNull) return s;
  if (!oneOf(s.alg, {0x0007, 0x0020, 0x0021, 0x0022})) throw TpmError(rc::kKdf);
  s.hashAlg = readHash(in, hashAlgs, false);
  return s;
}

void writeScheme(WireWriter& w, const Scheme& s) {
  w.u16(s.alg);
  if (s.alg == kAlgNull || s.alg == 0x0015) return;
  w.u16(s.hashAlg);
  if (s.alg == 0x000A) w.u16(s.kdf);
  if (s.alg == 0x001A) w.u16(s.count);
}

}  // namespace

PublicArea readPublic(WireReader& in, const std::vector<uint16_t>& hashAlgs) {
  PublicArea p;
  p.type = in.u16();
  if (!oneOf(p.type, {alg::kRsa, alg::kKeyedHash, alg::kEcc, kSymCipher})) throw TpmError(rc::kType);
  p.nameAlg = readHash(in, hashAlgs, true);
  p.attributes = in.u32();
  if (p.attributes & oa::kReserved) throw TpmError(rc::kReservedBits);
  p.authPolicy = in.tpm2b(kMaxDigest);
  switch (p.type) {
    case alg::kKeyedHash:
      p.scheme = readKeyedHashScheme(in, hashAlgs);
      p.unique = in.tpm2b(kMaxDigest);
      break;
    case kSymCipher:
      p.symmetric = readSymDef(in, false);
      p.unique = in.tpm2b(kMaxDigest);
      break;
    case alg::kRsa:
      p.symmetric = readSymDef(in, true);
      p.scheme = readRsaScheme(in, hashAlgs);
      p.keyBits = in.u16();
      if (!oneOf(p.keyBits, {1024, 2048, 3072})) throw TpmError(rc::kValue);
      p.exponent = in.u32();
      p.unique = in.tpm2b(kMaxRsaKeyBytes);
      break;
    default:  // ECC
      p.symmetric = readSymDef(in, true);
      p.scheme = readEccScheme(in, hashAlgs);
      p.curve = in.u16();
      if (!oneOf(p.curve, {0x0003, 0x0004, 0x0005, 0x0010, 0x0011, 0x0020})) throw TpmError(rc::kCurve);
      p.kdf = readKdfScheme(in, hashAlgs);
      p.unique = in.tpm2b(kMaxEccParam);
      p.uniqueY = in.tpm2b(kMaxEccParam);
      break;
  }
  return p;
}

PublicArea readPublic2b(WireReader& in, const std::vector<uint16_t>& hashAlgs) {
  uint16_t size = in.u16();
  if (size == 0) throw TpmError(rc::kSize);
  size_t start = in.position();
  PublicArea p = readPublic(in, hashAlgs);
  if (in.position() - start != size) throw TpmError(rc::kSize);
  return p;
}

void writePublic(WireWriter& w, const PublicArea& p) {
  w.u16(p.type);
  w.u16(p.nameAlg);
  w.u32(p.attributes);
  w.tpm2b(p.authPolicy);
  switch (p.type) {
    case alg::kKeyedHash:
      writeScheme(w, p.scheme);
      w.tpm2b(p.unique);
      break;
    case kSymCipher:
      writeSymDef(w, p.symmetric);
      w.tpm2b(p.unique);
      break;
    case alg::kRsa:
      writeSymDef(w, p.symmetric);
      writeScheme(w, p.scheme);
      w.u16(p.keyBits);
      w.u32(p.exponent);
      w.tpm2b(p.unique);
      break;
    default:
      writeSymDef(w, p.symmetric);
      writeScheme(w, p.scheme);
      w.u16(p.curve);
      writeScheme(w, p.kdf);
      w.tpm2b(p.unique);
      w.tpm2b(p.uniqueY);
      break;
  }
}

std::vector<uint8_t> marshalPublic(const PublicArea& p) {
  WireWriter w;
  writePublic(w, p);
  return std::move(w.data());
}

SensitiveArea readSensitive(WireReader& in) {
  SensitiveArea s;
  s.type = in.u16();
  if (!oneOf(s.type, {alg::kRsa, alg::kKeyedHash, alg::kEcc, kSymCipher})) throw TpmError(rc::kType);
  s.authValue = in.tpm2b(kMaxDigest);
  s.seedValue = in.tpm2b(kMaxDigest);
  size_t max = s.type == alg::kRsa ? kMaxRsaPrime : s.type == alg::kEcc ? kMaxEccParam : kMaxSymData;
  s.secret = in.tpm2b(max);
  return s;
}

std::vector<uint8_t> marshalSensitive(const SensitiveArea& s) {
  WireWriter w;
  w.u16(s.type);
  w.tpm2b(s.authValue);
  w.tpm2b(s.seedValue);
  w.tpm2b(s.secret);
  return std::move(w.data());
}

std::vector<uint8_t> objectName(const PublicArea& p) {
  auto pub = marshalPublic(p);
  if (p.nameAlg == alg::kNull) return {};
  auto d = digest(p.nameAlg, pub.data(), pub.size());
  std::vector<uint8_t> name(2 + d.size());
  name[0] = uint8_t(p.nameAlg >> 8);
  name[1] = uint8_t(p.nameAlg);
  std::copy(d.begin(), d.end(), name.begin() + 2);
  return name;
}

}  // namespace dlsim::tpm
