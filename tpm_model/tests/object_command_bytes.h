// Test helper: TPM2_CreatePrimary / Create / Load / Unseal / ContextSave /
// ContextLoad command bytes exactly as tboot (common/tpm_20.c) builds them,
// written out field by field from Part 2/3 (independently of the engine's
// marshal code), and a reader for the responses.
#pragma once
#include <stdexcept>

#include "tpm_model/tests/command_builder.h"

namespace dlsim::tpm::test {

inline Bytes tpm2bOf(const Bytes& d) {
  Bytes b;
  be16(b, uint16_t(d.size()));
  b.insert(b.end(), d.begin(), d.end());
  return b;
}

inline Bytes join(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const auto& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

inline Bytes u16Of(uint16_t v) {
  Bytes b;
  be16(b, v);
  return b;
}
inline Bytes u32Of(uint32_t v) {
  Bytes b;
  be32(b, v);
  return b;
}

// fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA|restricted|decrypt
inline constexpr uint32_t kStorageAttrs = 0x00030472;
// userWithAuth|noDA
inline constexpr uint32_t kSealAttrs = 0x00000440;

// TPMT_PUBLIC of an RSA key: symmetric AES(keyBits) CFB or NULL (symBits 0).
inline Bytes rsaTemplate(uint32_t attrs, uint16_t symBits = 128, uint16_t keyBits = 2048, uint32_t exponent = 0,
                         uint16_t nameAlg = 0x000B) {
  Bytes sym = symBits ? join({u16Of(0x0006), u16Of(symBits), u16Of(0x0043)}) : u16Of(0x0010);
  return join({u16Of(0x0001), u16Of(nameAlg), u32Of(attrs), tpm2bOf({}), sym, u16Of(0x0010), u16Of(keyBits),
               u32Of(exponent), tpm2bOf({})});
}

// TPMT_PUBLIC of a KEYEDHASH object with scheme NULL.
inline Bytes sealTemplate(uint32_t attrs = kSealAttrs, uint16_t nameAlg = 0x000B) {
  return join({u16Of(0x0008), u16Of(nameAlg), u32Of(attrs), tpm2bOf({}), u16Of(0x0010), tpm2bOf({})});
}

inline Bytes sensitiveCreate(const Bytes& auth, const Bytes& data) {
  return tpm2bOf(join({tpm2bOf(auth), tpm2bOf(data)}));
}

// CreatePrimary / Create parameters: inSensitive, inPublic, outsideInfo, creationPCR (empty).
inline Bytes createParams(const Bytes& sensitive, const Bytes& publicArea) {
  return join({sensitive, tpm2bOf(publicArea), tpm2bOf({}), u32Of(0)});
}

inline Bytes tbootCreatePrimary(uint32_t hierarchy = 0x40000007) {
  return Cmd{0x131, {hierarchy}, 1, {}, createParams(sensitiveCreate({0x00, 0xFF}, {}), rsaTemplate(kStorageAttrs))}
      .build();
}

inline Bytes tbootCreate(uint32_t parent, const Bytes& secret) {
  return Cmd{0x153, {parent}, 1, {0x00, 0xFF}, createParams(sensitiveCreate({'t', 'e', 's', 't'}, secret), sealTemplate())}
      .build();
}

inline Bytes tbootLoad(uint32_t parent, const Bytes& priv, const Bytes& pub) {
  return Cmd{0x157, {parent}, 1, {0x00, 0xFF}, join({tpm2bOf(priv), tpm2bOf(pub)})}.build();
}

inline Bytes unsealCmd(uint32_t item, const Bytes& password) { return Cmd{0x15E, {item}, 1, password, {}}.build(); }

inline Bytes contextSave(uint32_t h) { return Cmd{0x162, {h}, 0, {}, {}}.build(); }
inline Bytes contextLoad(const Bytes& context) { return Cmd{0x161, {}, 0, {}, context}.build(); }
inline Bytes flushContext(uint32_t h) { return Cmd{0x165, {}, 0, {}, u32Of(h)}.build(); }

// Sequential reader over a response.
struct RspReader {
  const Bytes& b;
  size_t at = 10;
  explicit RspReader(const Bytes& r, size_t start = 10) : b(r), at(start) {}
  void need(size_t n) const {
    if (at + n > b.size()) throw std::runtime_error("response too short");
  }
  uint16_t u16() {
    need(2);
    uint16_t v = uint16_t((b[at] << 8) | b[at + 1]);
    at += 2;
    return v;
  }
  uint32_t u32() {
    need(4);
    uint32_t v = (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
    at += 4;
    return v;
  }
  Bytes take(size_t n) {
    need(n);
    Bytes v(b.begin() + long(at), b.begin() + long(at + n));
    at += n;
    return v;
  }
  Bytes tpm2b() { return take(u16()); }
};

// The fields of a CreatePrimary response.
struct PrimaryRsp {
  uint32_t handle;
  Bytes outPublic, creationData, creationHash;
  uint16_t ticketTag;
  uint32_t ticketHierarchy;
  Bytes ticketDigest, name;
};

inline PrimaryRsp parsePrimary(const Bytes& r) {
  RspReader x(r);
  PrimaryRsp p;
  p.handle = x.u32();
  uint32_t paramSize = x.u32();
  size_t start = x.at;
  p.outPublic = x.tpm2b();
  p.creationData = x.tpm2b();
  p.creationHash = x.tpm2b();
  p.ticketTag = x.u16();
  p.ticketHierarchy = x.u32();
  p.ticketDigest = x.tpm2b();
  p.name = x.tpm2b();
  if (x.at - start != paramSize) throw std::runtime_error("parameterSize differs from the parameters");
  if (x.take(5) != Bytes{0, 0, 1, 0, 0}) throw std::runtime_error("bad password session response");
  if (x.at != r.size()) throw std::runtime_error("trailing bytes");
  return p;
}

struct CreateRsp {
  Bytes outPrivate, outPublic, creationData, creationHash;
  uint16_t ticketTag;
  uint32_t ticketHierarchy;
  Bytes ticketDigest;
};

inline CreateRsp parseCreate(const Bytes& r) {
  RspReader x(r);
  CreateRsp c;
  uint32_t paramSize = x.u32();
  size_t start = x.at;
  c.outPrivate = x.tpm2b();
  c.outPublic = x.tpm2b();
  c.creationData = x.tpm2b();
  c.creationHash = x.tpm2b();
  c.ticketTag = x.u16();
  c.ticketHierarchy = x.u32();
  c.ticketDigest = x.tpm2b();
  if (x.at - start != paramSize) throw std::runtime_error("parameterSize differs from the parameters");
  if (x.take(5) != Bytes{0, 0, 1, 0, 0}) throw std::runtime_error("bad password session response");
  if (x.at != r.size()) throw std::runtime_error("trailing bytes");
  return c;
}

inline uint32_t handleOf(const Bytes& r) { return RspReader(r).u32(); }

// Unseal response: the sealed data.
inline Bytes unsealedData(const Bytes& r) {
  RspReader x(r);
  x.u32();  // parameterSize
  return x.tpm2b();
}

// ContextSave response: the TPMS_CONTEXT bytes.
inline Bytes savedContext(const Bytes& r) { return Bytes(r.begin() + 10, r.end()); }

}  // namespace dlsim::tpm::test
