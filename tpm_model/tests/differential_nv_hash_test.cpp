// Differential tests for the hash-sequence, Hash, NV and session paths:
// hand-written sequences that both engines must answer alike.
#include <gtest/gtest.h>

#include "tpm_model/dlsim_engine.h"
#include "tpm_model/libtpms_engine.h"
#include "tpm_model/tests/command_builder.h"

namespace dlsim::tpm {
namespace {

using test::be16;
using test::be32;
using test::Bytes;
using test::Cmd;

Bytes tpm2b(const Bytes& d) {
  Bytes b;
  be16(b, uint16_t(d.size()));
  b.insert(b.end(), d.begin(), d.end());
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const auto& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes u16b(uint16_t v) {
  Bytes b;
  be16(b, v);
  return b;
}
Bytes u32b(uint32_t v) {
  Bytes b;
  be32(b, v);
  return b;
}

struct Both {
  DlsimEngine mine;
  LibtpmsEngine ref;
  Both() {
    run(0, test::startupClear(), "startup");
  }
  // Same response required; `ticketAt` >= 0: ignore bytes from there (HMAC
  // ticket, see DIFFERENCES.md).
  Bytes run(uint8_t loc, const Bytes& cmd, const std::string& what, long ticketAt = -1) {
    auto a = mine.execute(loc, cmd);
    auto b = ref.execute(loc, cmd);
    if (ticketAt >= 0 && test::rcOf(b) == 0 && a.size() > size_t(ticketAt) && b.size() > size_t(ticketAt)) {
      EXPECT_EQ(Bytes(a.begin(), a.begin() + ticketAt), Bytes(b.begin(), b.begin() + ticketAt)) << what;
    } else {
      EXPECT_EQ(a, b) << what;
    }
    return b;
  }
};

TEST(TpmDifferentialSeq, HashSequencesAndEventSequence) {
  Both t;
  // tboot style: HashSequenceStart(auth 00 FF, NULL) / SequenceUpdate / EventSequenceComplete(NULL).
  auto r = t.run(0, Cmd{0x186, {}, 0, {}, cat({tpm2b({0x00, 0xFF}), u16b(0x0010)})}.build(), "start event seq");
  ASSERT_EQ(test::rcOf(r), 0u);
  uint32_t h = (uint32_t(r[10]) << 24) | (uint32_t(r[11]) << 16) | (uint32_t(r[12]) << 8) | r[13];
  Cmd upd{0x15C, {h}, 1, {0x00, 0xFF}, tpm2b(Bytes(1024, 0x61))};
  t.run(0, upd.build(), "update 1024");
  Cmd wrong = upd;
  wrong.password = {0x01};
  t.run(0, wrong.build(), "update with wrong password");
  Cmd trailing = upd;
  trailing.password = {0x00, 0xFF, 0x00, 0x00};  // trailing zeros are stripped
  t.run(0, trailing.build(), "password with trailing zeros");
  Cmd seqDone{0x13E, {h}, 1, {0x00, 0xFF}, cat({tpm2b({}), u32b(0x40000007)})};
  t.run(0, seqDone.build(), "SequenceComplete on an event sequence");
  Cmd ev{0x185, {17, h}, 2, {0x00, 0xFF}, tpm2b({1, 2, 3})};
  t.run(2, ev.build(), "EventSequenceComplete with the sequence password for the PCR too");
  // Session 1 (PCR 17): empty password; session 2 (sequence): 00 FF.
  ev.pwSessions = 0;
  ev.rawAuth = cat({u32b(0x40000009), u16b(0), {0}, u16b(0), u32b(0x40000009), u16b(0), {0}, tpm2b({0x00, 0xFF})});
  t.run(0, ev.build(), "EventSequenceComplete to PCR 17 at locality 0");
  t.run(2, ev.build(), "EventSequenceComplete to PCR 17 at locality 2");
  t.run(2, ev.build(), "sequence is gone");
  // Plain hash sequence and TPM2_Hash.
  r = t.run(0, Cmd{0x186, {}, 0, {}, cat({tpm2b({}), u16b(0x000C)})}.build(), "start sha384 seq");
  h = (uint32_t(r[10]) << 24) | (uint32_t(r[11]) << 16) | (uint32_t(r[12]) << 8) | r[13];
  t.run(0, Cmd{0x15C, {h}, 1, {}, tpm2b(Bytes(1025, 1))}.build(), "update too large");
  t.run(0, Cmd{0x15C, {h}, 1, {}, tpm2b(Bytes(700, 1))}.build(), "update");
  t.run(0, Cmd{0x185, {0x40000007, h}, 2, {}, tpm2b({})}.build(), "event complete on hash seq");
  t.run(0, Cmd{0x13E, {h}, 1, {}, cat({tpm2b({5}), u32b(0x40000007)})}.build(), "complete (null ticket)");
  t.run(0, Cmd{0x17D, {}, 0, {}, cat({tpm2b({1, 2, 3}), u16b(0x000B), u32b(0x40000001)})}.build(),
        "Hash with owner ticket", 10 + 2 + 32 + 2 + 4);
  t.run(0, Cmd{0x17D, {}, 0, {}, cat({tpm2b({1, 2, 3}), u16b(0x0012), u32b(0x40000007)})}.build(),
        "Hash with SM3 (not implemented)");
  t.run(0, Cmd{0x17D, {}, 0, {}, cat({tpm2b({1}), u16b(0x000B), u32b(0x40000009)})}.build(), "Hash bad hierarchy");
  // Object slots: three sequences fill them; a fourth fails; Hash_Start flushes the first.
  for (int i = 0; i < 4; ++i)
    t.run(0, Cmd{0x186, {}, 0, {}, cat({tpm2b({}), u16b(0x0004)})}.build(), "fill slots");
  t.mine.hashStart();
  t.ref.hashStart();
  t.mine.hashEnd();
  t.ref.hashEnd();
  t.run(0, Cmd{0x15C, {0x80000000}, 1, {}, tpm2b({1})}.build(), "slot 0 flushed by Hash_Start");
  t.run(0, Cmd{0x15C, {0x80000001}, 1, {}, tpm2b({1})}.build(), "slot 1 alive");
  t.run(0, Cmd{0x165, {}, 0, {}, u32b(0x80000001)}.build(), "flush slot 1");
  t.run(0, Cmd{0x165, {}, 0, {}, u32b(0x80000001)}.build(), "flush slot 1 again");
  t.run(0, Cmd{0x165, {}, 0, {}, u32b(0x81000000)}.build(), "flush persistent");
  for (unsigned p = 0; p < 24; ++p)
    EXPECT_EQ(t.mine.pcrValue(0x000B, p), t.ref.pcrValue(0x000B, p)) << "PCR " << p;
}

Bytes nvPublic(uint32_t index, uint32_t attrs, uint16_t size) {
  Bytes body = cat({u32b(index), u16b(0x000B), u32b(attrs), tpm2b({}), u16b(size)});
  return tpm2b(body);
}

TEST(TpmDifferentialSeq, NvDefineWriteRead) {
  Both t;
  const uint32_t idx = 0x01500001;
  // OWNERWRITE|OWNERREAD|AUTHWRITE|AUTHREAD|NO_DA
  const uint32_t attrs = 0x2 | 0x4 | 0x20000 | 0x40000 | 0x02000000;
  auto define = [&](uint32_t auth, uint32_t i, uint32_t a, uint16_t size, Bytes pw = {}) {
    return Cmd{0x12A, {auth}, 1, {}, cat({tpm2b(pw), nvPublic(i, a, size)})}.build();
  };
  t.run(0, define(0x40000001, idx, attrs, 32, {'p', 'w'}), "define");
  t.run(0, define(0x40000001, idx, attrs, 32), "define twice");
  t.run(0, define(0x40000001, 0x01500002, attrs | 0x40000000, 8), "owner with PLATFORMCREATE");
  t.run(0, define(0x4000000C, 0x01500002, attrs, 8), "platform without PLATFORMCREATE");
  t.run(0, define(0x40000001, 0x01500003, 0x2, 8), "no read attribute");
  t.run(0, define(0x40000001, 0x01500003, attrs | 0x00100000, 8), "reserved bit");
  t.run(0, define(0x40000001, 0x02000000, attrs, 8), "not an NV handle");
  t.run(0, define(0x40000001, 0x01500004, attrs, 4000), "too large");
  // DIFFERENCES.md: dlsim defines only ordinary indices.
  EXPECT_EQ(test::rcOf(t.mine.execute(0, define(0x40000001, 0x01500005, attrs | 0x10, 8))), 0x2C2u);
  t.run(0, define(0x4000000B, 0x01500006, attrs, 8), "endorsement is not a provision handle");
  t.run(0, Cmd{0x169, {idx}, 0, {}, {}}.build(), "read public");
  t.run(0, Cmd{0x169, {0x01500009}, 0, {}, {}}.build(), "read public undefined");
  auto read = [&](uint32_t auth, uint16_t size, uint16_t off, Bytes pw = {}) {
    return Cmd{0x14E, {auth, idx}, 1, pw, cat({u16b(size), u16b(off)})}.build();
  };
  auto write = [&](uint32_t auth, const Bytes& d, uint16_t off, Bytes pw = {}) {
    return Cmd{0x137, {auth, idx}, 1, pw, cat({tpm2b(d), u16b(off)})}.build();
  };
  t.run(0, read(0x40000001, 4, 0), "read before write");
  t.run(0, write(0x40000001, {1, 2, 3, 4}, 30), "write past end");
  t.run(0, write(0x40000001, {1, 2, 3, 4}, 2), "owner write");
  t.run(0, write(idx, {9}, 0, {'x'}), "index write wrong password");
  t.run(0, write(idx, {9}, 0, {'p', 'w'}), "index write");
  t.run(0, write(0x4000000C, {9}, 0), "platform write without PPWRITE");
  t.run(0, read(0x40000001, 8, 0), "owner read");
  t.run(0, read(idx, 8, 24, {'p', 'w'}), "index read");
  t.run(0, read(idx, 8, 25, {'p', 'w'}), "read past end");
  t.run(0, Cmd{0x169, {idx}, 0, {}, {}}.build(), "read public after write");
  t.run(0, Cmd{0x14E, {0x40000001, idx}, 0, {}, cat({u16b(1), u16b(0)})}.build(), "read without session");
}

TEST(TpmDifferentialSeq, SessionAreaErrors) {
  Both t;
  Bytes base = test::pcrReset(16);  // 80 02, size, cc, handle, authSize 9, session...
  auto withAuth = [&](const Bytes& auth) {
    Bytes c(base.begin(), base.begin() + 14);
    be32(c, uint32_t(auth.size()));
    c.insert(c.end(), auth.begin(), auth.end());
    for (int i = 0; i < 4; ++i) c[2 + i] = uint8_t(c.size() >> (24 - 8 * i));
    return c;
  };
  Bytes pw = cat({u32b(0x40000009), u16b(0), {0x00}, u16b(0)});
  t.run(0, withAuth(pw), "good");
  t.run(0, withAuth(cat({u32b(0x40000009), u16b(0), {0x01}, u16b(0)})), "continueSession");
  t.run(0, withAuth(cat({u32b(0x40000009), u16b(0), {0x20}, u16b(0)})), "decrypt on pw");
  t.run(0, withAuth(cat({u32b(0x40000009), u16b(0), {0x08}, u16b(0)})), "reserved attr");
  t.run(0, withAuth(cat({u32b(0x40000009), u16b(2), {1, 2}, {0x00}, u16b(0)})), "nonce on pw");
  t.run(0, withAuth(cat({u32b(0x02000000), u16b(0), {0x00}, u16b(0)})), "hmac session not loaded");
  t.run(0, withAuth(cat({u32b(0x03000005), u16b(0), {0x00}, u16b(0)})), "policy session not loaded");
  t.run(0, withAuth(cat({u32b(0x12345678), u16b(0), {0x00}, u16b(0)})), "bad session handle");
  t.run(0, withAuth(cat({pw, pw})), "two sessions for one handle");
  t.run(0, withAuth(cat({pw, pw, pw, pw})), "four sessions");
  t.run(0, withAuth(Bytes(pw.begin(), pw.end() - 1)), "auth area too small");
  t.run(0, withAuth(cat({u32b(0x40000009), u16b(0), {0x00}, u16b(65), Bytes(65, 1)})), "hmac too large");
  Bytes c = base;
  c[17] = 0xFF;  // authSize larger than the command
  t.run(0, c, "authSize too large");
  t.run(0, Cmd{0x17E, {}, 1, {}, {}}.build(), "session on command without handles");
  t.run(0, Cmd{0x144, {}, 1, {}, u16b(0)}.build(), "session on Startup (already started)");
  t.run(0, Cmd{0x13D, {16}, 0, {}, {}}.build(), "auth missing");
  t.run(0, Cmd{0x13D, {24}, 1, {}, {}}.build(), "PCR 24");
  t.run(0, Cmd{0x13D, {0x40000007}, 1, {}, {}}.build(), "reset NULL");
  t.run(0, Cmd{0x182, {0x40000007}, 1, {}, u32b(0)}.build(), "extend NULL");
  t.run(0, Cmd{0x182, {16}, 1, {}, u32b(5)}.build(), "extend count too large");
  t.run(0, Cmd{0x17A, {}, 0, {}, cat({u32b(0x77), u32b(0), u32b(1)})}.build(), "bad capability");
  t.run(0, Cmd{0x17A, {}, 0, {}, cat({u32b(1), u32b(0x05000000), u32b(1)})}.build(), "bad handle range");
  t.run(0, Cmd{0x143, {}, 0, {}, {1}}.build(), "self test full");
  t.run(0, Cmd{0x143, {}, 0, {}, {2}}.build(), "self test bad yes/no");
  t.run(0, Cmd{0x145, {}, 0, {}, u16b(2)}.build(), "shutdown bad type");
  auto rnd = t.mine.execute(0, Cmd{0x17B, {}, 0, {}, u16b(100)}.build());
  auto rndRef = t.ref.execute(0, Cmd{0x17B, {}, 0, {}, u16b(100)}.build());
  EXPECT_EQ(rnd.size(), 12u + 64u);  // both clip to 64 bytes
  EXPECT_EQ(rnd, rndRef);            // and draw from the same seeded stream
}

}  // namespace
}  // namespace dlsim::tpm
