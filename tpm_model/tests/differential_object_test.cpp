// Differential tests for the object commands: dlsim's engine and libtpms run
// tboot's sealing sequence, context save/load, flushes, NV_UndefineSpace and
// a table of malformed or invalid commands. Response codes must be equal at
// every step, the unsealed data equal, and where key material differs
// (DIFFERENCES.md item 9) the response structure equal: every field present
// with the same size, and the fields not derived from secrets byte-equal.
#include <botan/hex.h>
#include <gtest/gtest.h>

#include "tpm_model/dlsim_engine.h"
#include "tpm_model/libtpms_engine.h"
#include "tpm_model/tests/object_command_bytes.h"

namespace dlsim::tpm {
namespace {

using namespace test;

std::string hexOf(const Bytes& b) {
  return Botan::hex_encode(b, false);
}

struct Both {
  DlsimEngine mine;
  LibtpmsEngine ref;
  Both() { run(startupClear(), "startup"); }
  // Runs on both; the response codes must be equal. Returns {mine, ref}.
  std::pair<Bytes, Bytes> run(const Bytes& cmd, const std::string& what) {
    auto a = mine.execute(0, cmd), b = ref.execute(0, cmd);
    EXPECT_EQ(rcOf(a), rcOf(b)) << what << "\n cmd     " << hexOf(cmd) << "\n dlsim   " << hexOf(a)
                                << "\n libtpms " << hexOf(b);
    return {a, b};
  }
  // As run(), and both succeed.
  std::pair<Bytes, Bytes> ok(const Bytes& cmd, const std::string& what) {
    auto r = run(cmd, what);
    EXPECT_EQ(rcOf(r.second), 0u) << what;
    return r;
  }
};

// The public areas differ only in the bytes of unique (same size).
void expectSameShapePublic(const Bytes& a, const Bytes& b, size_t uniqueSize, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  ASSERT_GE(a.size(), uniqueSize + 2) << what;
  EXPECT_EQ(Bytes(a.begin(), a.end() - long(uniqueSize)), Bytes(b.begin(), b.end() - long(uniqueSize))) << what;
}

TEST(TpmDifferentialObjects, TbootSealSequence) {
  Both t;
  auto [pa, pb] = t.ok(tbootCreatePrimary(), "CreatePrimary");
  PrimaryRsp a = parsePrimary(pa), b = parsePrimary(pb);
  EXPECT_EQ(a.handle, b.handle);
  expectSameShapePublic(a.outPublic, b.outPublic, 256, "outPublic");
  EXPECT_EQ(a.creationData, b.creationData);  // no secret in a primary's creation data
  EXPECT_EQ(a.creationHash, b.creationHash);
  EXPECT_EQ(a.ticketTag, b.ticketTag);
  EXPECT_EQ(a.ticketHierarchy, b.ticketHierarchy);
  EXPECT_EQ(a.ticketDigest.size(), b.ticketDigest.size());
  EXPECT_EQ(a.name.size(), b.name.size());
  EXPECT_EQ(pa.size(), pb.size());

  const Bytes secret(128, 0x5A);  // tboot's largest secret
  auto [ca, cb] = t.ok(tbootCreate(a.handle, secret), "Create");
  CreateRsp x = parseCreate(ca), y = parseCreate(cb);
  EXPECT_EQ(x.outPrivate.size(), y.outPrivate.size());
  expectSameShapePublic(x.outPublic, y.outPublic, 32, "sealed outPublic");
  EXPECT_EQ(x.creationData.size(), y.creationData.size());
  EXPECT_EQ(x.creationHash.size(), y.creationHash.size());
  EXPECT_EQ(x.ticketTag, y.ticketTag);
  EXPECT_EQ(x.ticketHierarchy, y.ticketHierarchy);
  EXPECT_EQ(x.ticketDigest.size(), y.ticketDigest.size());
  EXPECT_EQ(ca.size(), cb.size());

  // Each engine loads its own private area (the protection keys differ).
  auto la = t.mine.execute(0, tbootLoad(a.handle, x.outPrivate, x.outPublic));
  auto lb = t.ref.execute(0, tbootLoad(b.handle, y.outPrivate, y.outPublic));
  ASSERT_EQ(rcOf(la), 0u);
  ASSERT_EQ(rcOf(lb), 0u);
  EXPECT_EQ(la.size(), lb.size());
  EXPECT_EQ(handleOf(la), handleOf(lb));
  uint32_t item = handleOf(la);
  auto [ua, ub] = t.ok(unsealCmd(item, {'t', 'e', 's', 't'}), "Unseal");
  EXPECT_EQ(ua, ub);
  EXPECT_EQ(unsealedData(ua), secret);
  t.run(unsealCmd(item, {'n', 'o'}), "Unseal with a wrong password (noDA)");
  t.run(unsealCmd(a.handle, {0x00, 0xFF}), "Unseal of the storage key");
  // A private area made by the other engine does not verify (nor a tampered one).
  EXPECT_EQ(rcOf(t.ref.execute(0, tbootLoad(b.handle, x.outPrivate, x.outPublic))), 0x1DFu);
  EXPECT_EQ(rcOf(t.mine.execute(0, tbootLoad(a.handle, y.outPrivate, y.outPublic))), 0x1DFu);
  Bytes bad = y.outPrivate;
  bad[bad.size() / 2] ^= 1;
  auto ta = t.mine.execute(0, tbootLoad(a.handle, [&] { Bytes z = x.outPrivate; z[z.size() / 2] ^= 1; return z; }(),
                                        x.outPublic));
  auto tb = t.ref.execute(0, tbootLoad(b.handle, bad, y.outPublic));
  EXPECT_EQ(rcOf(ta), rcOf(tb));
  EXPECT_EQ(rcOf(ta), 0x1DFu);

  // The slots: primary + item + one more; then TPM_RC_OBJECT_MEMORY.
  auto l3a = t.mine.execute(0, tbootLoad(a.handle, x.outPrivate, x.outPublic));
  auto l3b = t.ref.execute(0, tbootLoad(b.handle, y.outPrivate, y.outPublic));
  EXPECT_EQ(l3a.size(), l3b.size());
  EXPECT_EQ(handleOf(l3a), handleOf(l3b));
  t.run(tbootCreatePrimary(), "fourth object");
  // With every slot taken, a tampered private area is still TPM_RC_OBJECT_MEMORY
  // or TPM_RC_INTEGRITY in both (the order of the checks).
  EXPECT_EQ(rcOf(t.mine.execute(0, tbootLoad(a.handle, [&] { Bytes z = x.outPrivate; z[z.size() / 2] ^= 1; return z; }(),
                                              x.outPublic))),
            rcOf(t.ref.execute(0, tbootLoad(b.handle, bad, y.outPublic))));
  EXPECT_EQ(rcOf(t.mine.execute(0, tbootLoad(a.handle, x.outPrivate, x.outPublic))),
            rcOf(t.ref.execute(0, tbootLoad(b.handle, y.outPrivate, y.outPublic))));
  t.run(Cmd{0x186, {}, 0, {}, join({tpm2bOf({}), u16Of(0x000B)})}.build(), "fourth object: a sequence");
  t.run(flushContext(item), "flush");
  t.run(flushContext(item), "flush twice");
  t.run(unsealCmd(item, {'t', 'e', 's', 't'}), "unseal a flushed object");
  t.run(flushContext(0x02000000), "flush an HMAC session");
  t.run(flushContext(0x40000001), "flush a permanent handle");

  // ContextSave of the primary (tboot's S3 path), flush, ContextLoad.
  auto [sa, sb] = t.ok(contextSave(a.handle), "ContextSave");
  Bytes xa = savedContext(sa), xb = savedContext(sb);
  EXPECT_EQ(Bytes(xa.begin() + 8, xa.begin() + 16), Bytes(xb.begin() + 8, xb.begin() + 16));  // handle, hierarchy
  t.run(flushContext(a.handle), "flush the primary");
  auto ka = t.mine.execute(0, contextLoad(xa));
  auto kb = t.ref.execute(0, contextLoad(xb));
  EXPECT_EQ(ka, kb);  // rc and handle
  Bytes tampered = xb;
  tampered[tampered.size() - 3] ^= 1;
  Bytes tamperedMine = xa;
  tamperedMine[tamperedMine.size() - 3] ^= 1;
  t.run(flushContext(handleOf(ka)), "flush the loaded context");
  EXPECT_EQ(rcOf(t.mine.execute(0, contextLoad(tamperedMine))), rcOf(t.ref.execute(0, contextLoad(tampered))));
  // S3: Shutdown(STATE), _TPM_Init, Startup(STATE), ContextLoad, Load, Unseal.
  t.ok(Cmd{0x145, {}, 0, {}, u16Of(1)}.build(), "Shutdown(STATE)");
  t.mine.powerOn();
  t.ref.powerOn();
  t.ok(Cmd{0x144, {}, 0, {}, u16Of(1)}.build(), "Startup(STATE)");
  ka = t.mine.execute(0, contextLoad(xa));
  kb = t.ref.execute(0, contextLoad(xb));
  EXPECT_EQ(ka, kb);
  la = t.mine.execute(0, tbootLoad(handleOf(ka), x.outPrivate, x.outPublic));
  lb = t.ref.execute(0, tbootLoad(handleOf(kb), y.outPrivate, y.outPublic));
  EXPECT_EQ(la.size(), lb.size());
  EXPECT_EQ(t.mine.execute(0, unsealCmd(handleOf(la), {'t', 'e', 's', 't'})),
            t.ref.execute(0, unsealCmd(handleOf(lb), {'t', 'e', 's', 't'})));
  // TPM Reset: NULL-hierarchy contexts are void in both.
  t.mine.powerOn();
  t.ref.powerOn();
  t.ok(startupClear(), "Startup(CLEAR)");
  EXPECT_EQ(rcOf(t.mine.execute(0, contextLoad(xa))), rcOf(t.ref.execute(0, contextLoad(xb))));
}

// Commands that both engines must refuse with the same code (or, for the
// valid ones in the list, accept).
TEST(TpmDifferentialObjects, MalformedAndInvalidCommands) {
  Both t;
  uint32_t primary = handleOf(t.ok(tbootCreatePrimary(), "primary").first);
  const Bytes pwSens = sensitiveCreate({0x00, 0xFF}, {});
  auto cp = [&](const Bytes& sens, const Bytes& pub, uint32_t h = 0x40000007) {
    return Cmd{0x131, {h}, 1, {}, createParams(sens, pub)}.build();
  };
  auto create = [&](const Bytes& sens, const Bytes& pub) {
    return Cmd{0x153, {primary}, 1, {0x00, 0xFF}, createParams(sens, pub)}.build();
  };
  Bytes good = rsaTemplate(kStorageAttrs);
  auto patched = [&](Bytes b, size_t at, std::initializer_list<uint8_t> v) {
    for (uint8_t x : v) b[at++] = x;
    return b;
  };
  Bytes sealSens = sensitiveCreate({'a'}, {1, 2, 3});
  struct Case {
    std::string what;
    Bytes cmd;
  };
  std::vector<Case> cases = {
      {"bad type", cp(pwSens, patched(good, 0, {0x00, 0x99}))},
      {"bad nameAlg", cp(pwSens, patched(good, 2, {0x00, 0x99}))},
      {"nameAlg NULL", cp(pwSens, patched(good, 2, {0x00, 0x10}))},
      {"reserved attribute", cp(pwSens, patched(good, 7, {0x73}))},
      {"bad symmetric", cp(pwSens, patched(good, 10, {0x00, 0x99}))},
      {"bad AES key bits", cp(pwSens, patched(good, 12, {0x00, 0x64}))},
      {"bad mode", cp(pwSens, patched(good, 14, {0x00, 0x99}))},
      {"bad RSA scheme", cp(pwSens, patched(good, 16, {0x00, 0x99}))},
      {"scheme on a storage key", cp(pwSens, join({Bytes(good.begin(), good.begin() + 16), u16Of(0x0014),
                                                  u16Of(0x000B), Bytes(good.begin() + 18, good.end())}))},
      {"bad RSA key bits", cp(pwSens, patched(good, 18, {0x03, 0xE8}))},
      {"storage key without symmetric", cp(pwSens, rsaTemplate(kStorageAttrs, 0))},
      {"fixedTPM without fixedParent", cp(pwSens, rsaTemplate(kStorageAttrs & ~0x10u))},
      {"restricted sign and decrypt", cp(pwSens, rsaTemplate(kStorageAttrs | 0x40000))},
      {"RSA without sensitiveDataOrigin", cp(pwSens, rsaTemplate(kStorageAttrs & ~0x20u))},
      {"decrypt key with symmetric", cp(pwSens, rsaTemplate(0x20472))},
      {"authPolicy of 5 bytes",
       cp(pwSens, join({Bytes(good.begin(), good.begin() + 8), tpm2bOf({1, 2, 3, 4, 5}), Bytes(good.begin() + 10, good.end())}))},
      {"userAuth longer than the digest", cp(sensitiveCreate(Bytes(33, 1), {}), good)},
      {"userAuth of 65 bytes", cp(sensitiveCreate(Bytes(65, 1), {}), good)},
      {"inSensitive size 0", Cmd{0x131, {0x40000007}, 1, {}, join({u16Of(0), tpm2bOf(good), tpm2bOf({}), u32Of(0)})}.build()},
      {"inSensitive size too small", Cmd{0x131, {0x40000007}, 1, {}, join({u16Of(5), Bytes(pwSens.begin() + 2, pwSens.end()), tpm2bOf(good), tpm2bOf({}), u32Of(0)})}.build()},
      {"inPublic size 0", Cmd{0x131, {0x40000007}, 1, {}, join({pwSens, u16Of(0), tpm2bOf({}), u32Of(0)})}.build()},
      {"inPublic size too large", Cmd{0x131, {0x40000007}, 1, {}, join({pwSens, u16Of(uint16_t(good.size() + 2)), good, u16Of(0), tpm2bOf({}), u32Of(0)})}.build()},
      {"truncated inPublic", Cmd{0x131, {0x40000007}, 1, {}, join({pwSens, u16Of(uint16_t(good.size())), Bytes(good.begin(), good.begin() + 12)})}.build()},
      {"outsideInfo of 67 bytes", Cmd{0x131, {0x40000007}, 1, {}, join({pwSens, tpm2bOf(good), tpm2bOf(Bytes(67, 0)), u32Of(0)})}.build()},
      {"creationPCR with a bad hash", Cmd{0x131, {0x40000007}, 1, {}, join({pwSens, tpm2bOf(good), tpm2bOf({}), u32Of(1), u16Of(0x0099), {3, 0, 0, 0}})}.build()},
      {"trailing bytes", Cmd{0x131, {0x40000007}, 1, {}, join({createParams(pwSens, good), {0}})}.build()},
      {"even exponent", cp(pwSens, rsaTemplate(kStorageAttrs, 128, 2048, 4))},
      {"hierarchy handle is the password session", cp(pwSens, good, 0x40000009)},
      {"hierarchy handle is the lockout", cp(pwSens, good, 0x4000000A)},
      {"hierarchy handle is a transient object", cp(pwSens, good, 0x80000000)},
      {"CreatePrimary without a session", Cmd{0x131, {0x40000007}, 0, {}, createParams(pwSens, good)}.build()},
      {"sealed data with sensitiveDataOrigin", create(sealSens, sealTemplate(kSealAttrs | 0x20))},
      {"sealed data without data", create(sensitiveCreate({'a'}, {}), sealTemplate())},
      {"sealed data with the HMAC scheme", create(sealSens, join({u16Of(0x0008), u16Of(0x000B), u32Of(kSealAttrs), tpm2bOf({}), u16Of(0x0005), u16Of(0x000B), tpm2bOf({})}))},
      {"sealed data with a bad keyed-hash scheme", create(sealSens, join({u16Of(0x0008), u16Of(0x000B), u32Of(kSealAttrs), tpm2bOf({}), u16Of(0x0099), tpm2bOf({})}))},
      {"sealed data of 129 bytes", create(sensitiveCreate({'a'}, Bytes(129, 1)), sealTemplate())},
      {"fixedTPM child without fixedParent", create(sealSens, sealTemplate(kSealAttrs | 0x2))},
      {"sealed data, nameAlg SHA-1", create(sealSens, sealTemplate(kSealAttrs, 0x0004))},
      {"storage child with another symmetric", create(pwSens, rsaTemplate(kStorageAttrs, 256))},
      {"storage child with another nameAlg", create(pwSens, rsaTemplate(kStorageAttrs, 128, 2048, 0, 0x000C))},
      {"Create under the NULL hierarchy handle", Cmd{0x153, {0x40000007}, 1, {}, createParams(sealSens, sealTemplate())}.build()},
      {"Create under an empty slot", Cmd{0x153, {0x80000002}, 1, {}, createParams(sealSens, sealTemplate())}.build()},
      {"Load with an empty private", tbootLoad(primary, {}, sealTemplate())},
      {"Load with a short private", tbootLoad(primary, {0x00}, sealTemplate())},
      {"Load with a private of garbage", tbootLoad(primary, Bytes(100, 0x33), sealTemplate())},
      {"Load with a private too large", tbootLoad(primary, Bytes(1300, 0x33), sealTemplate())},
      {"Load with a nameAlg NULL public", tbootLoad(primary, Bytes(100, 0x33), sealTemplate(kSealAttrs, 0x0010))},
      {"Load with a truncated public", Cmd{0x157, {primary}, 1, {0x00, 0xFF}, join({tpm2bOf(Bytes(10, 1)), u16Of(30), Bytes(8, 0)})}.build()},
      {"Unseal of an empty slot", unsealCmd(0x80000002, {})},
      {"Unseal of a session handle", unsealCmd(0x02000000, {})},
      {"Unseal without a session", Cmd{0x15E, {primary}, 0, {}, {}}.build()},
      {"ContextSave of an empty slot", contextSave(0x80000002)},
      {"ContextSave of a session", contextSave(0x02000001)},
      {"ContextSave of a permanent handle", contextSave(0x40000001)},
      {"ContextLoad, bad saved handle", contextLoad(join({u32Of(0), u32Of(1), u32Of(0x81000000), u32Of(0x40000007), tpm2bOf(Bytes(80, 1))}))},
      {"ContextLoad, bad hierarchy", contextLoad(join({u32Of(0), u32Of(1), u32Of(0x80000000), u32Of(0x40000009), tpm2bOf(Bytes(80, 1))}))},
      {"ContextLoad, garbage blob", contextLoad(join({u32Of(0), u32Of(1), u32Of(0x80000000), u32Of(0x40000007), tpm2bOf(Bytes(200, 1))}))},
      {"ContextLoad, truncated", contextLoad(join({u32Of(0), u32Of(1), u32Of(0x80000000)}))},
  };
  for (const auto& c : cases) t.run(c.cmd, c.what);
}

TEST(TpmDifferentialObjects, NvUndefineSpace) {
  Both t;
  auto define = [&](uint32_t auth, uint32_t index, uint32_t attrs) {
    Bytes pub = join({u32Of(index), u16Of(0x000B), u32Of(attrs), tpm2bOf({}), u16Of(8)});
    return Cmd{0x12A, {auth}, 1, {}, join({tpm2bOf({}), tpm2bOf(pub)})}.build();
  };
  auto undefine = [&](uint32_t auth, uint32_t index, int sessions = 1) {
    return Cmd{0x122, {auth, index}, sessions, {}, {}}.build();
  };
  const uint32_t attrs = 0x2 | 0x20000;
  t.ok(define(0x40000001, 0x01400001, attrs), "owner index");
  t.ok(define(0x4000000C, 0x01400002, attrs | 0x40000000), "platform index");
  t.run(undefine(0x40000001, 0x01400002), "owner deletes a platform index");
  t.run(undefine(0x40000001, 0x01400003), "undefined index");
  t.run(undefine(0x40000001, 0x01400001, 0), "no session");
  t.run(undefine(0x4000000B, 0x01400001), "endorsement");
  t.run(undefine(0x40000001, 0x80000000), "not an NV handle");
  t.run(undefine(0x4000000C, 0x01400001), "platform deletes an owner index");
  t.run(undefine(0x4000000C, 0x01400002), "platform deletes its index");
  t.run(Cmd{0x169, {0x01400002}, 0, {}, {}}.build(), "read public after undefine");
  t.ok(define(0x40000001, 0x01400002, attrs), "define again");
}

}  // namespace
}  // namespace dlsim::tpm
