// dlsim's own engine: tboot's sealing sequence (CreatePrimary, Create, Load,
// Unseal) through execute(), checked against values computed here with Botan
// from the response bytes (names, creation hash, the RSA public key), plus
// determinism across engines and seeds, the error paths (tampered private
// area, wrong password, object memory, wrong object types), ContextSave /
// ContextLoad across S3 and TPM Reset, engine snapshots with loaded objects,
// NV_UndefineSpace and the capability lists.
#include <botan/hash.h>
#include <botan/hmac_drbg.h>
#include <botan/mac.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <gtest/gtest.h>

#include <chrono>

#include "sim/errors.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/rsa_keygen.h"
#include "tpm_model/tests/object_command_bytes.h"

namespace dlsim::tpm {
namespace {

using namespace test;

Bytes sha256(const Bytes& a) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(a);
  auto d = h->final();
  return Bytes(d.begin(), d.end());
}

Bytes nameOf(const Bytes& publicArea) { return join({{0x00, 0x0B}, sha256(publicArea)}); }

const Bytes kSecret = {'s', 'e', 'a', 'l', 'e', 'd', ' ', 'k', 'e', 'y', 0, 1, 2, 3};

struct Engine {
  DlsimEngine e;
  explicit Engine(uint64_t seed = 7) : e(config(seed)) { EXPECT_EQ(rcOf(e.execute(0, startupClear())), 0u); }
  static EngineConfig config(uint64_t seed) {
    EngineConfig c;
    c.rngSeed = seed;
    return c;
  }
  Bytes run(const Bytes& cmd, uint32_t wantRc = 0, const char* what = "") {
    auto r = e.execute(0, cmd);
    EXPECT_EQ(rcOf(r), wantRc) << what;
    return r;
  }
};

struct TbootRun {
  Bytes primaryRsp, createRsp, loadRsp, unsealRsp;
};

TbootRun tbootSequence(Engine& t, const Bytes& secret = kSecret) {
  TbootRun run;
  run.primaryRsp = t.run(tbootCreatePrimary(), 0, "CreatePrimary");
  uint32_t primary = handleOf(run.primaryRsp);
  run.createRsp = t.run(tbootCreate(primary, secret), 0, "Create");
  CreateRsp c = parseCreate(run.createRsp);
  run.loadRsp = t.run(tbootLoad(primary, c.outPrivate, c.outPublic), 0, "Load");
  run.unsealRsp = t.run(unsealCmd(handleOf(run.loadRsp), {'t', 'e', 's', 't'}), 0, "Unseal");
  return run;
}

TEST(TpmObjects, TbootSealSequenceGivesTheSecretBack) {
  Engine t;
  TbootRun run = tbootSequence(t);
  EXPECT_EQ(unsealedData(run.unsealRsp), kSecret);

  PrimaryRsp p = parsePrimary(run.primaryRsp);
  EXPECT_EQ(p.handle, 0x80000000u);
  EXPECT_EQ(p.name, nameOf(p.outPublic));
  // outPublic = the template with unique = a 2048-bit modulus.
  Bytes tmpl = rsaTemplate(kStorageAttrs);
  ASSERT_EQ(p.outPublic.size(), tmpl.size() + 256);
  EXPECT_EQ(Bytes(p.outPublic.begin(), p.outPublic.end() - 258), Bytes(tmpl.begin(), tmpl.end() - 2));
  RspReader pub(p.outPublic, p.outPublic.size() - 258);
  Bytes modulus = pub.tpm2b();
  ASSERT_EQ(modulus.size(), 256u);
  EXPECT_GE(modulus[0], 0x80);
  EXPECT_EQ(modulus[255] & 1, 1);
  // Botan takes it as an RSA public key with e = 65537 and encrypts to it.
  Botan::RSA_PublicKey key(Botan::BigInt(modulus.data(), modulus.size()), 65537);
  Botan::HMAC_DRBG rng(Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)"));
  rng.initialize_with(modulus.data(), 32);
  Botan::Null_RNG none;
  EXPECT_TRUE(key.check_key(none, false));
  Botan::PK_Encryptor_EME enc(key, rng, "OAEP(SHA-256)");
  EXPECT_EQ(enc.encrypt(kSecret, rng).size(), 256u);
  // TPMS_CREATION_DATA of a primary: empty PCR selection, digest of no PCRs,
  // locality 0, parent = the hierarchy handle, no outside info.
  Bytes wantCd = join({u32Of(0), tpm2bOf(sha256({})), {0x01}, u16Of(0x0010), tpm2bOf(u32Of(0x40000007)),
                       tpm2bOf(u32Of(0x40000007)), tpm2bOf({})});
  EXPECT_EQ(p.creationData, wantCd);
  EXPECT_EQ(p.creationHash, sha256(p.creationData));
  EXPECT_EQ(p.ticketTag, 0x8021);
  EXPECT_EQ(p.ticketHierarchy, 0x40000007u);
  EXPECT_EQ(p.ticketDigest.size(), 64u);  // HMAC-SHA-512

  CreateRsp c = parseCreate(run.createRsp);
  Bytes seal = sealTemplate();
  ASSERT_EQ(c.outPublic.size(), seal.size() + 32);  // unique = SHA-256(seedValue || data)
  EXPECT_EQ(Bytes(c.outPublic.begin(), c.outPublic.end() - 34), Bytes(seal.begin(), seal.end() - 2));
  // outPrivate: integrity HMAC (2 + 32) || IV (2 + 16) || CFB(TPM2B_SENSITIVE)
  // with sensitive = type, auth padded to 32, seedValue 32, data.
  EXPECT_EQ(c.outPrivate.size(), 34u + 18 + 2 + 2 + 34 + 34 + 2 + kSecret.size());
  Bytes wantCreateCd = join({u32Of(0), tpm2bOf(sha256({})), {0x01}, u16Of(0x000B), tpm2bOf(p.name)});
  EXPECT_EQ(Bytes(c.creationData.begin(), c.creationData.begin() + long(wantCreateCd.size())), wantCreateCd);
  // parentQualifiedName = 000B || SHA-256(hierarchy handle || parent name).
  EXPECT_EQ(Bytes(c.creationData.begin() + long(wantCreateCd.size()), c.creationData.end()),
            join({tpm2bOf(join({{0x00, 0x0B}, sha256(join({u32Of(0x40000007), p.name}))})), tpm2bOf({})}));
  EXPECT_EQ(c.creationHash, sha256(c.creationData));
  RspReader load(run.loadRsp);
  EXPECT_EQ(load.u32(), 0x80000001u);
  load.u32();
  EXPECT_EQ(load.tpm2b(), nameOf(c.outPublic));
}

TEST(TpmObjects, SameSeedSameBytesOtherSeedOtherKey) {
  Engine a(99), b(99), other(100);
  TbootRun ra = tbootSequence(a), rb = tbootSequence(b), ro = tbootSequence(other);
  EXPECT_EQ(ra.primaryRsp, rb.primaryRsp);
  EXPECT_EQ(ra.createRsp, rb.createRsp);
  EXPECT_EQ(ra.loadRsp, rb.loadRsp);
  EXPECT_EQ(ra.unsealRsp, rb.unsealRsp);
  EXPECT_NE(parsePrimary(ra.primaryRsp).outPublic, parsePrimary(ro.primaryRsp).outPublic);
  EXPECT_EQ(unsealedData(ro.unsealRsp), kSecret);
  // A second Create of the same data gives another private area and unique.
  uint32_t primary = handleOf(ra.primaryRsp);
  auto again = parseCreate(a.run(tbootCreate(primary, kSecret)));
  EXPECT_NE(again.outPrivate, parseCreate(ra.createRsp).outPrivate);
  EXPECT_NE(again.outPublic, parseCreate(ra.createRsp).outPublic);
  // The owner hierarchy gives another key than NULL; the same template twice the same key.
  auto owner = parsePrimary(a.run(tbootCreatePrimary(0x40000001)));
  EXPECT_NE(owner.outPublic, parsePrimary(ra.primaryRsp).outPublic);
  a.run(flushContext(owner.handle));
  EXPECT_EQ(parsePrimary(a.run(tbootCreatePrimary(0x40000001))).outPublic, owner.outPublic);
}

TEST(TpmObjects, ErrorPaths) {
  Engine t;
  uint32_t primary = handleOf(t.run(tbootCreatePrimary()));
  CreateRsp c = parseCreate(t.run(tbootCreate(primary, kSecret)));
  // One flipped byte anywhere in outPrivate: TPM_RC_INTEGRITY + parameter 1
  // (in the integrity size field: TPM_RC_SIZE / INSUFFICIENT are also fine).
  for (size_t i = 0; i < c.outPrivate.size(); ++i) {
    Bytes bad = c.outPrivate;
    bad[i] ^= 0x01;
    uint32_t r = rcOf(t.e.execute(0, tbootLoad(primary, bad, c.outPublic)));
    if (i < 2) EXPECT_NE(r, 0u) << i;
    else EXPECT_EQ(r, 0x1DFu) << "byte " << i;
  }
  // Another public area (changes the name): integrity fails too.
  Bytes otherPub = c.outPublic;
  otherPub.back() ^= 1;
  t.run(tbootLoad(primary, c.outPrivate, otherPub), 0x1DF, "changed unique");
  t.run(tbootLoad(primary, {}, c.outPublic), 0x1D5, "empty private");
  uint32_t item = handleOf(t.run(tbootLoad(primary, c.outPrivate, c.outPublic)));
  // Wrong password: the object has noDA, so TPM_RC_BAD_AUTH for session 1.
  t.run(unsealCmd(item, {'t', 'e', 's', 'T'}), 0x9A2, "wrong password, noDA");
  t.run(unsealCmd(item, {'t', 'e', 's', 't', 0, 0}), 0, "trailing zeros ignored");
  // Without noDA: TPM_RC_AUTH_FAIL.
  Bytes daSeal = Cmd{0x153, {primary}, 1, {0x00, 0xFF},
                     createParams(sensitiveCreate({'p', 'w'}, {1, 2, 3}), sealTemplate(0x40))}.build();
  CreateRsp da = parseCreate(t.run(daSeal));
  t.run(flushContext(item));
  uint32_t daItem = handleOf(t.run(tbootLoad(primary, da.outPrivate, da.outPublic)));
  t.run(unsealCmd(daItem, {'p', 'x'}), 0x98E, "wrong password, DA protected");
  EXPECT_EQ(unsealedData(t.run(unsealCmd(daItem, {'p', 'w'}))), (Bytes{1, 2, 3}));
  // Unseal of the RSA primary: TPM_RC_TYPE on handle 1. Wrong parent password.
  t.run(unsealCmd(primary, {0x00, 0xFF}), 0x18A, "unseal an RSA key");
  t.run(Cmd{0x157, {primary}, 1, {0x01}, join({tpm2bOf(c.outPrivate), tpm2bOf(c.outPublic)})}.build(), 0x9A2,
        "wrong parent password");
  // A sealed object is no parent: TPM_RC_TYPE on handle 1.
  t.run(Cmd{0x153, {daItem}, 1, {'p', 'w'}, createParams(sensitiveCreate({}, {1}), sealTemplate())}.build(), 0x18A,
        "Create under a sealed object");
  t.run(Cmd{0x157, {daItem}, 1, {'p', 'w'}, join({tpm2bOf(c.outPrivate), tpm2bOf(c.outPublic)})}.build(), 0x18A,
        "Load under a sealed object");
  // Three slots: primary, daItem and one more; the fourth is TPM_RC_OBJECT_MEMORY.
  uint32_t third = handleOf(t.run(tbootLoad(primary, c.outPrivate, c.outPublic)));
  EXPECT_EQ(third, 0x80000002u);
  t.run(tbootLoad(primary, c.outPrivate, c.outPublic), 0x902, "fourth object");
  t.run(tbootCreatePrimary(), 0x902, "fourth object (primary)");
  t.run(Cmd{0x186, {}, 0, {}, join({tpm2bOf({}), u16Of(0x000B)})}.build(), 0x902, "fourth object (sequence)");
  t.run(flushContext(daItem));
  t.run(flushContext(daItem), 0x1CB, "flushed twice");
  EXPECT_EQ(handleOf(t.run(tbootLoad(primary, c.outPrivate, c.outPublic))), daItem);  // lowest free slot
  t.run(unsealCmd(0x80000003, {}), 0x184, "handle beyond the slots: TPM_RC_VALUE + handle 1");
}

TEST(TpmObjects, ContextSaveLoadAcrossS3AndReset) {
  Engine t;
  uint32_t primary = handleOf(t.run(tbootCreatePrimary()));
  CreateRsp c = parseCreate(t.run(tbootCreate(primary, kSecret)));
  Bytes ctx = savedContext(t.run(contextSave(primary)));
  // TPMS_CONTEXT: sequence 0, savedHandle 0x80000000, hierarchy NULL, blob.
  ASSERT_GT(ctx.size(), 18u);
  EXPECT_EQ(Bytes(ctx.begin(), ctx.begin() + 16), join({u32Of(0), u32Of(0), u32Of(0x80000000), u32Of(0x40000007)}));
  EXPECT_EQ(size_t((ctx[16] << 8) | ctx[17]), ctx.size() - 18);
  t.run(flushContext(primary));
  // Tampering anywhere in the blob or with the sequence: TPM_RC_INTEGRITY + P1.
  for (size_t i : {size_t(7), size_t(21), ctx.size() / 2, ctx.size() - 1}) {
    Bytes bad = ctx;
    bad[i] ^= 0x40;
    t.run(contextLoad(bad), 0x1DF, "tampered context");
  }
  uint32_t again = handleOf(t.run(contextLoad(ctx)));
  EXPECT_EQ(again, 0x80000000u);
  // S3: Shutdown(STATE), _TPM_Init, Startup(STATE); the saved primary loads and unseals.
  t.run(Cmd{0x145, {}, 0, {}, u16Of(1)}.build());
  t.e.powerOn();
  t.run(Cmd{0x144, {}, 0, {}, u16Of(1)}.build(), 0, "Startup(STATE)");
  t.run(unsealCmd(again, {}), 0x910, "objects are gone after _TPM_Init");  // TPM_RC_REFERENCE_H0
  uint32_t restored = handleOf(t.run(contextLoad(ctx)));
  uint32_t item = handleOf(t.run(tbootLoad(restored, c.outPrivate, c.outPublic)));
  EXPECT_EQ(unsealedData(t.run(unsealCmd(item, {'t', 'e', 's', 't'}))), kSecret);
  // TPM Reset: the NULL hierarchy's proof changes, the context is void.
  t.e.powerOn();
  t.run(startupClear());
  t.run(contextLoad(ctx), 0x1DF, "context after TPM Reset");
  // Sequence objects cannot be saved (DIFFERENCES.md).
  uint32_t seq = handleOf(t.run(Cmd{0x186, {}, 0, {}, join({tpm2bOf({}), u16Of(0x000B)})}.build()));
  t.run(contextSave(seq), 0x189, "save a hash sequence");
}

TEST(TpmObjects, EngineSnapshotKeepsLoadedObjects) {
  Engine t;
  uint32_t primary = handleOf(t.run(tbootCreatePrimary()));
  CreateRsp c = parseCreate(t.run(tbootCreate(primary, kSecret)));
  uint32_t item = handleOf(t.run(tbootLoad(primary, c.outPrivate, c.outPublic)));
  Bytes ctx = savedContext(t.run(contextSave(primary)));
  Bytes saved = t.e.saveState();
  DlsimEngine other;
  other.restoreState(saved);
  EXPECT_EQ(other.saveState(), saved);
  EXPECT_EQ(unsealedData(other.execute(0, unsealCmd(item, {'t', 'e', 's', 't'}))), kSecret);
  // The context counter and creation counter came along: the next save and
  // Create answer as in the original engine.
  EXPECT_EQ(other.execute(0, contextSave(primary)), t.e.execute(0, contextSave(primary)));
  EXPECT_EQ(other.execute(0, tbootCreate(primary, kSecret)), t.e.execute(0, tbootCreate(primary, kSecret)));
  // Corrupted object encodings are refused or accepted, never a crash.
  for (size_t i = 0; i < saved.size(); i += 7) {
    Bytes x = saved;
    x[i] ^= 0xA5;
    DlsimEngine victim;
    try {
      victim.restoreState(x);
      victim.execute(0, unsealCmd(item, {'t', 'e', 's', 't'}));
      victim.execute(0, contextLoad(ctx));
    } catch (const InputError&) {
    }
  }
}

TEST(TpmObjects, CapabilitiesListObjectsAndCommands) {
  Engine t;
  uint32_t primary = handleOf(t.run(tbootCreatePrimary()));
  auto handles = t.run(Cmd{0x17A, {}, 0, {}, join({u32Of(1), u32Of(0x80000000), u32Of(8)})}.build());
  // moreData 0, capability 1, count 1, handle.
  EXPECT_EQ(Bytes(handles.begin() + 10, handles.end()), join({{0}, u32Of(1), u32Of(1), u32Of(primary)}));
  auto cmds = t.run(Cmd{0x17A, {}, 0, {}, join({u32Of(2), u32Of(0x122), u32Of(200)})}.build());
  std::vector<uint32_t> ccs;
  RspReader x(cmds, 15);
  for (uint32_t n = x.u32(), i = 0; i < n; ++i) ccs.push_back(x.u32() & 0xFFFF);
  for (uint32_t cc : {0x122u, 0x131u, 0x153u, 0x157u, 0x15Eu, 0x161u, 0x162u, 0x165u})
    EXPECT_NE(std::find(ccs.begin(), ccs.end(), cc), ccs.end()) << std::hex << cc;
}

TEST(TpmObjects, NvUndefineSpace) {
  Engine t;
  auto define = [&](uint32_t auth, uint32_t index, uint32_t attrs) {
    Bytes pub = join({u32Of(index), u16Of(0x000B), u32Of(attrs), tpm2bOf({}), u16Of(8)});
    return Cmd{0x12A, {auth}, 1, {}, join({tpm2bOf({}), tpm2bOf(pub)})}.build();
  };
  auto undefine = [&](uint32_t auth, uint32_t index) { return Cmd{0x122, {auth, index}, 1, {}, {}}.build(); };
  const uint32_t attrs = 0x2 | 0x20000;  // OWNERWRITE | OWNERREAD
  t.run(define(0x40000001, 0x01400001, attrs));
  t.run(define(0x4000000C, 0x01400002, attrs | 0x40000000));
  t.run(undefine(0x40000001, 0x01400002), 0x149, "owner deleting a platform index");
  t.run(undefine(0x40000001, 0x01400001));
  t.run(Cmd{0x169, {0x01400001}, 0, {}, {}}.build(), 0x18B, "gone");
  t.run(undefine(0x40000001, 0x01400001), 0x28B, "undefine twice");
  t.run(undefine(0x4000000C, 0x01400002));
  t.run(undefine(0x4000000B, 0x01400002), 0x184, "endorsement is no provision handle");
}

TEST(TpmObjects, CreatePrimaryCost) {
  // Cold: a key never generated in this process (fresh seed); cached: the same again.
  Engine t(0xC0FFEE);
  uint64_t before = rsaKeysGenerated();
  auto t0 = std::chrono::steady_clock::now();
  uint32_t h = handleOf(t.run(tbootCreatePrimary(0x4000000B)));
  auto t1 = std::chrono::steady_clock::now();
  t.run(flushContext(h));
  t.run(tbootCreatePrimary(0x4000000B));
  auto t2 = std::chrono::steady_clock::now();
  EXPECT_EQ(rsaKeysGenerated(), before + 1);
  double cold = std::chrono::duration<double, std::milli>(t1 - t0).count();
  double cached = std::chrono::duration<double, std::milli>(t2 - t1).count();
  RecordProperty("create_primary_cold_ms", std::to_string(cold));
  RecordProperty("create_primary_cached_ms", std::to_string(cached));
  std::printf("CreatePrimary RSA-2048: cold %.1f ms, cached %.3f ms\n", cold, cached);
}

}  // namespace
}  // namespace dlsim::tpm
