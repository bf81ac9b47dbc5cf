// TPM2_CreatePrimary, TPM2_Create, TPM2_Load and TPM2_Unseal (Part 3 §24.1,
// §12.1, §12.2, §12.7) for RSA and KEYEDHASH objects: the attribute and
// scheme checks of Part 1 §27-§28 / Part 3 (in the order the reference
// implementation applies them, so response codes match libtpms), primary
// keys derived from the hierarchy seed and the template, ordinary objects'
// secrets from the engine's creation counter, private areas protected under
// the storage parent (object_protection.h). ECC and SYMCIPHER templates
// parse and validate but are not created (TPM_RC_TYPE + inPublic).
#include <botan/bigint.h>

#include "tpm_model/command_dispatch.h"
#include "tpm_model/hierarchy_secrets.h"
#include "tpm_model/object_protection.h"
#include "tpm_model/object_store.h"
#include "tpm_model/pcr_selection.h"
#include "tpm_model/rsa_keygen.h"
#include "tpm_model/tpm_alg.h"
#include "tpm_model/tpm_kdf.h"

namespace dlsim::tpm {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint16_t kStCreation = 0x8021;
constexpr size_t kMaxTpm2bData = 2 + kMaxDigest;  // TPM2B_DATA: sizeof(TPMT_HA)
constexpr size_t kMaxPrivate = 1230;              // sizeof(_PRIVATE) in libtpms 0.9.2

struct SensitiveCreate {
  Bytes userAuth;
  Bytes data;
};

// TPM2B_SENSITIVE_CREATE.
SensitiveCreate readSensitiveCreate(CommandContext& c) {
  uint16_t size = c.in.u16();
  if (size == 0) throw TpmError(rc::kSize);
  size_t start = c.in.position();
  SensitiveCreate s;
  s.userAuth = c.in.tpm2b(kMaxDigest);
  s.data = c.in.tpm2b(kMaxSymData);
  if (c.in.position() - start != size) throw TpmError(rc::kSize);
  return s;
}

size_t digestSize(uint16_t alg) { return *hashDigestSize(alg); }

// Part 1 §27 / Part 3 creation checks (CreateChecks, PublicAttributesValidation,
// SchemeChecks); returns a code without position, 0 when the template is good.
Rc publicChecks(const TpmObject* parent, const PublicArea& p) {
  if (p.nameAlg == alg::kNull) return rc::kHash;
  if (!p.authPolicy.empty() && p.authPolicy.size() != digestSize(p.nameAlg)) return rc::kSize;
  bool parentFixedTpm = !parent || parent->pub.has(oa::kFixedTpm);
  if (parentFixedTpm) {
    if (p.has(oa::kFixedParent) != p.has(oa::kFixedTpm)) return rc::kAttributes;
  } else if (p.has(oa::kFixedTpm)) {
    return rc::kAttributes;
  }
  bool sign = p.has(oa::kSign), decrypt = p.has(oa::kDecrypt), restricted = p.has(oa::kRestricted);
  if (sign == decrypt) {
    if (restricted) return rc::kAttributes;
    if (p.type != alg::kKeyedHash && !sign) return rc::kAttributes;
  }
  if (p.has(oa::kFixedTpm) && p.has(oa::kEncryptedDuplication)) return rc::kAttributes;
  if (parent && !parent->pub.has(oa::kFixedTpm) &&
      p.has(oa::kEncryptedDuplication) != parent->pub.has(oa::kEncryptedDuplication))
    return rc::kAttributes;
  // Schemes.
  const SymDef* sym = nullptr;
  uint16_t scheme = p.scheme.alg;
  if (p.type == 0x0025) {
    sym = &p.symmetric;
  } else if (p.type == alg::kKeyedHash) {
    if (sign == decrypt) {
      if (scheme != alg::kNull) return rc::kScheme;
    } else if (sign && scheme != alg::kHmac) {
      return rc::kScheme;
    } else if (decrypt) {
      if (scheme != 0x000A) return rc::kScheme;
      if (restricted && p.scheme.kdf != 0x0022) return rc::kScheme;
    }
  } else {
    sym = &p.symmetric;
    bool signScheme = p.type == alg::kRsa ? (scheme == 0x0014 || scheme == 0x0016)
                                          : (scheme == 0x0018 || scheme == 0x001A || scheme == 0x001B ||
                                             scheme == 0x001C);
    bool decryptScheme = p.type == alg::kRsa ? (scheme == 0x0015 || scheme == 0x0017)
                                             : (scheme == 0x0019 || scheme == 0x001D);
    if (sign == decrypt) {
      if (scheme != alg::kNull) return rc::kScheme;
    } else if (sign) {
      if (!signScheme && (restricted || scheme != alg::kNull)) return rc::kScheme;
    } else if (restricted) {
      if (scheme != alg::kNull) return rc::kScheme;
    } else if (scheme != alg::kNull && !decryptScheme) {
      return rc::kScheme;
    }
    if ((!restricted || !decrypt) && p.symmetric.alg != alg::kNull) return rc::kSymmetric;
    if (p.type == alg::kEcc && p.kdf.alg != alg::kNull) return rc::kKdf;
  }
  if (sym && restricted && decrypt) {
    if (sym->alg == alg::kNull) return rc::kSymmetric;
    if (p.has(oa::kFixedParent) && parent) {
      if (p.nameAlg != parent->pub.nameAlg) return rc::kHash;
      if (!(*sym == parent->pub.symmetric)) return rc::kSymmetric;
    }
  }
  return rc::kSuccess;
}

Rc createChecks(const TpmObject* parent, const PublicArea& p, size_t dataSize) {
  bool origin = p.has(oa::kSensitiveDataOrigin);
  if (!origin && dataSize == 0) return rc::kAttributes;
  if (parent && origin && dataSize != 0) return rc::kAttributes;
  if (p.type == alg::kKeyedHash || p.type == 0x0025) {
    if (p.type == alg::kKeyedHash && !p.has(oa::kSign) && !p.has(oa::kDecrypt) && origin) return rc::kAttributes;
    if (p.has(oa::kRestricted) && !origin && (p.has(oa::kFixedParent) || p.has(oa::kFixedTpm)))
      return rc::kAttributes;
  } else if (!origin) {
    return rc::kAttributes;
  }
  return publicChecks(parent, p);
}

// Where the secret values of a new object come from.
class SecretSource {
 public:
  SecretSource(Bytes key, const char* label, Bytes context) : rng_(std::move(key), label, std::move(context)) {}
  Bytes take(size_t n) {
    Bytes b(n);
    rng_.randomize(b.data(), n);
    return b;
  }

 private:
  KdfRng rng_;
};

// Fills unique and the sensitive area of a new object. Throws TpmError with
// a position on the inPublic parameter when the template cannot be made.
TpmObject makeObject(PublicArea pub, const SensitiveCreate& sc, SecretSource& src) {
  TpmObject o;
  size_t ds = digestSize(pub.nameAlg);
  o.sens.type = pub.type;
  o.sens.authValue = sc.userAuth;
  while (!o.sens.authValue.empty() && o.sens.authValue.back() == 0) o.sens.authValue.pop_back();
  o.sens.authValue.resize(ds, 0);
  if (pub.type == alg::kRsa) {
    auto keySeed = src.take(32);
    RsaKeyMaterial k = generateRsaKey(keySeed, pub.keyBits, pub.exponent);
    if (k.modulus.empty()) throw TpmError(rc::kRange);  // libtpms: no parameter number
    pub.unique = k.modulus;
    o.sens.secret = k.prime;
    bool parent = pub.has(oa::kRestricted) && pub.has(oa::kDecrypt);
    if (parent) o.sens.seedValue = src.take(ds);
  } else if (pub.type == alg::kKeyedHash) {
    if (pub.has(oa::kSensitiveDataOrigin)) {
      uint16_t h = pub.scheme.alg == alg::kHmac ? pub.scheme.hashAlg : pub.nameAlg;
      o.sens.secret = src.take(digestSize(h));
    } else {
      o.sens.secret = sc.data;
    }
    o.sens.seedValue = src.take(ds);
    Bytes in = o.sens.seedValue;
    in.insert(in.end(), o.sens.secret.begin(), o.sens.secret.end());
    pub.unique = digest(pub.nameAlg, in.data(), in.size());
  } else {
    throw TpmError(rcParam(rc::kType, 2));  // ECC / SYMCIPHER: DIFFERENCES.md
  }
  o.pub = std::move(pub);
  o.name = objectName(o.pub);
  return o;
}

Bytes qualifiedName(uint16_t nameAlg, const Bytes& parentQn, const Bytes& name) {
  Bytes in = parentQn;
  in.insert(in.end(), name.begin(), name.end());
  auto d = digest(nameAlg, in.data(), in.size());
  Bytes qn(2 + d.size());
  qn[0] = uint8_t(nameAlg >> 8);
  qn[1] = uint8_t(nameAlg);
  std::copy(d.begin(), d.end(), qn.begin() + 2);
  return qn;
}

Bytes handleBytes(uint32_t h) { return {uint8_t(h >> 24), uint8_t(h >> 16), uint8_t(h >> 8), uint8_t(h)}; }

// TPMS_CREATION_DATA (Part 2 §15.1) of `o`, marshaled.
Bytes creationData(CommandContext& c, const TpmObject& o, const std::vector<PcrSelection>& sel, const TpmObject* parent,
                   uint32_t hierarchy, const Bytes& outsideInfo) {
  WireWriter w;
  writePcrSelection(w, sel);
  Bytes pcrs;
  for (const auto& s : sel)
    for (unsigned p = 0; p < kPcrCount && p / 8 < s.select.size(); ++p)
      if (s.select[p / 8] & (1u << (p % 8))) {
        const auto* v = c.st.pcrs.value(s.alg, p);
        if (v) pcrs.insert(pcrs.end(), v->begin(), v->end());
      }
  w.tpm2b(digest(o.pub.nameAlg, pcrs.data(), pcrs.size()));
  w.u8(uint8_t(1u << c.locality));
  if (parent) {
    w.u16(parent->pub.nameAlg);
    w.tpm2b(parent->name);
    w.tpm2b(parent->qualifiedName);
  } else {
    w.u16(alg::kNull);
    w.tpm2b(handleBytes(hierarchy));
    w.tpm2b(handleBytes(hierarchy));
  }
  w.tpm2b(outsideInfo);
  return std::move(w.data());
}

// outPublic, creationData, creationHash, creationTicket.
void writeCreationOutputs(CommandContext& c, const TpmObject& o, const Bytes& cd) {
  c.out.tpm2b(marshalPublic(o.pub));
  c.out.tpm2b(cd);
  auto creationHash = digest(o.pub.nameAlg, cd.data(), cd.size());
  c.out.tpm2b(creationHash);
  c.out.u16(kStCreation);
  c.out.u32(o.hierarchy);
  uint8_t tag[2] = {uint8_t(kStCreation >> 8), uint8_t(kStCreation)};
  c.out.tpm2b(hmac(ticketHashAlg(c.st), hierarchyProof(c.st, o.hierarchy),
                   {std::span<const uint8_t>(tag, 2), o.name, creationHash}));
}

struct CreateInputs {
  SensitiveCreate sensitive;
  PublicArea pub;
  Bytes outsideInfo;
  std::vector<PcrSelection> pcrs;
};

CreateInputs readCreateInputs(CommandContext& c) {
  CreateInputs in;
  in.sensitive = c.param(1, [&] { return readSensitiveCreate(c); });
  in.pub = c.param(2, [&] { return readPublic2b(c.in, c.st.config.hashAlgs); });
  in.outsideInfo = c.param(3, [&] { return c.in.tpm2b(kMaxTpm2bData); });
  in.pcrs = c.param(4, [&] { return readPcrSelection(c); });
  c.endParams();
  return in;
}

void checkTemplate(const TpmObject* parent, const CreateInputs& in) {
  Rc r = createChecks(parent, in.pub, in.sensitive.data.size());
  if (r != rc::kSuccess) throw TpmError(rcParam(r, 2));
  size_t authLen = in.sensitive.userAuth.size();
  while (authLen > 0 && in.sensitive.userAuth[authLen - 1] == 0) --authLen;
  if (authLen > digestSize(in.pub.nameAlg)) throw TpmError(rcParam(rc::kSize, 1));
}

void createPrimary(CommandContext& c) {
  CreateInputs in = readCreateInputs(c);
  uint32_t hierarchy = c.handles[0];
  auto slot = freeTransientHandle(c.st);
  if (!slot) throw TpmError(rc::kObjectMemory);
  checkTemplate(nullptr, in);
  // Primary objects are derived from the hierarchy seed, the template (its
  // name, unique included) and the sensitive data (Part 1 §26.1).
  Bytes context = objectName(in.pub);
  context.insert(context.end(), in.sensitive.data.begin(), in.sensitive.data.end());
  SecretSource src(primarySeed(c.st, hierarchy), "Primary Object Creation", context);
  TpmObject o = makeObject(in.pub, in.sensitive, src);
  o.hierarchy = hierarchy;
  o.qualifiedName = qualifiedName(o.pub.nameAlg, handleBytes(hierarchy), o.name);
  Bytes cd = creationData(c, o, in.pcrs, nullptr, hierarchy, in.outsideInfo);
  writeCreationOutputs(c, o, cd);
  c.out.tpm2b(o.name);
  c.hasResponseHandle = true;
  c.responseHandle = *slot;
  c.st.keys.emplace(*slot, std::move(o));
}

TpmObject& storageParent(CommandContext& c) {
  TpmObject* parent = findObject(c.st, c.handles[0]);
  if (!parent || !parent->isStorageParent()) throw TpmError(rcHandle(rc::kType, 1));
  return *parent;
}

void create(CommandContext& c) {
  CreateInputs in = readCreateInputs(c);
  TpmObject& parent = storageParent(c);
  checkTemplate(&parent, in);
  // Ordinary objects: secrets from a stream keyed by the scenario seed, one
  // context per object created (the creation counter).
  Bytes key(8);
  for (int i = 0; i < 8; ++i) key[size_t(i)] = uint8_t(c.st.config.rngSeed >> (8 * i));
  Bytes context(8);
  for (int i = 0; i < 8; ++i) context[size_t(i)] = uint8_t(c.st.objectsCreated >> (56 - 8 * i));
  context.insert(context.end(), parent.name.begin(), parent.name.end());
  SecretSource src(digest(alg::kSha512, key.data(), key.size()), "Object Creation", context);
  TpmObject o = makeObject(in.pub, in.sensitive, src);
  ++c.st.objectsCreated;
  o.hierarchy = parent.hierarchy;
  o.qualifiedName = qualifiedName(o.pub.nameAlg, parent.qualifiedName, o.name);
  Bytes iv = src.take(16);
  c.out.tpm2b(wrapSensitive(parent, o.name, o.sens, iv));
  Bytes cd = creationData(c, o, in.pcrs, &parent, parent.hierarchy, in.outsideInfo);
  writeCreationOutputs(c, o, cd);
}

// The sensitive area belongs to the public area (Part 1 §27.2 binding): the
// keyed-hash unique is H(seedValue || secret); p divides the RSA modulus.
bool bound(const PublicArea& p, const SensitiveArea& s) {
  if (p.type == alg::kKeyedHash) {
    Bytes in = s.seedValue;
    in.insert(in.end(), s.secret.begin(), s.secret.end());
    return digest(p.nameAlg, in.data(), in.size()) == p.unique;
  }
  if (p.type == alg::kRsa) {
    if (p.unique.size() != p.keyBits / 8u || s.secret.size() != p.keyBits / 16u) return false;
    Botan::BigInt n(p.unique.data(), p.unique.size()), q(s.secret.data(), s.secret.size());
    return q > 1 && n % q == 0;
  }
  return false;
}

void load(CommandContext& c) {
  Bytes priv = c.param(1, [&] { return c.in.tpm2b(kMaxPrivate); });
  PublicArea pub = c.param(2, [&] { return readPublic2b(c.in, c.st.config.hashAlgs); });
  c.endParams();
  if (priv.empty()) throw TpmError(rcParam(rc::kSize, 1));
  TpmObject& parent = storageParent(c);
  auto slot = freeTransientHandle(c.st);
  if (!slot) throw TpmError(rc::kObjectMemory);
  if (pub.nameAlg == alg::kNull) throw TpmError(rcParam(rc::kHash, 2));
  TpmObject o;
  o.name = objectName(pub);
  try {
    o.sens = unwrapSensitive(parent, o.name, priv);
  } catch (const TpmError& e) {
    throw TpmError(rcParam(e.code, 1));
  }
  if (o.sens.type != pub.type) throw TpmError(rcParam(rc::kType, 1));
  Rc r = publicChecks(&parent, pub);
  if (r != rc::kSuccess) throw TpmError(rcParam(r, 2));
  size_t ds = digestSize(pub.nameAlg);
  if (o.sens.authValue.size() > ds || o.sens.seedValue.size() > ds) throw TpmError(rcParam(rc::kSize, 1));
  if (pub.type != alg::kRsa && pub.type != alg::kKeyedHash) throw TpmError(rcParam(rc::kType, 2));
  if (!bound(pub, o.sens)) throw TpmError(rcParam(rc::kBinding, 2));
  o.pub = std::move(pub);
  o.hierarchy = parent.hierarchy;
  o.qualifiedName = qualifiedName(o.pub.nameAlg, parent.qualifiedName, o.name);
  c.out.tpm2b(o.name);
  c.hasResponseHandle = true;
  c.responseHandle = *slot;
  c.st.keys.emplace(*slot, std::move(o));
}

void unseal(CommandContext& c) {
  c.endParams();
  const TpmObject* o = findObject(c.st, c.handles[0]);
  if (!o || o->pub.type != alg::kKeyedHash) throw TpmError(rcHandle(rc::kType, 1));
  if (o->pub.has(oa::kDecrypt) || o->pub.has(oa::kSign) || o->pub.has(oa::kRestricted))
    throw TpmError(rcHandle(rc::kAttributes, 1));
  c.out.tpm2b(o->sens.secret);
}

}  // namespace

void addObjectCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x131, "CreatePrimary", 1, {HandleKind::Hierarchy}, 0x1, true, createPrimary});
  t.push_back({0x153, "Create", 1, {HandleKind::Object}, 0x1, true, create});
  t.push_back({0x157, "Load", 1, {HandleKind::Object}, 0x1, true, load});
  t.push_back({0x15E, "Unseal", 1, {HandleKind::Object}, 0x1, true, unseal});
}

}  // namespace dlsim::tpm
