// Unit tests of dlsim's engine outside the PCR paths: wire reader bounds,
// GetRandom determinism, NV preload, capability values and header errors.
#include <botan/hash.h>
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/tests/command_builder.h"
#include "tpm_model/tpm_wire.h"

namespace dlsim::tpm {
namespace {

using test::be16;
using test::be32;
using test::Bytes;
using test::Cmd;

TEST(TpmWire, ReaderIsBoundsChecked) {
  Bytes b = {0x12, 0x34, 0x56, 0x78, 0x00, 0x03, 0xAA};
  WireReader r(b);
  EXPECT_EQ(r.u32(), 0x12345678u);
  try {
    r.tpm2b(16);  // claims 3 bytes, only 1 left
    FAIL() << "no error";
  } catch (const TpmError& e) {
    EXPECT_EQ(e.code, 0x09Au);
  }
  Bytes bigBytes = {0x00, 0x05, 1, 2, 3, 4, 5};
  WireReader big(bigBytes);
  try {
    big.tpm2b(4);
    FAIL() << "no error";
  } catch (const TpmError& e) {
    EXPECT_EQ(e.code, 0x095u);
  }
}

TEST(TpmEngine, HeaderErrorsFollowPart3) {
  DlsimEngine e;
  EXPECT_EQ(e.execute(0, test::unhex("00C1 0000000A 00000099")), test::unhex("00C4 0000000A 0000001E"));
  EXPECT_EQ(e.execute(0, test::unhex("8003 0000000A 00000144")), test::unhex("8001 0000000A 0000001E"));
  EXPECT_EQ(test::rcOf(e.execute(0, test::unhex("8001 0000000C 00000144 00"))), 0x142u);
  EXPECT_EQ(test::rcOf(e.execute(0, test::unhex("8001 0000000A 00000999"))), 0x143u);
  EXPECT_EQ(test::rcOf(e.execute(0, test::pcrRead(0x000B, 0))), 0x100u);
  EXPECT_EQ(test::rcOf(e.execute(2, test::startupClear())), 0x907u);
  EXPECT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  EXPECT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0x100u);
  // VALUE on handle 1 (PCR 24), HASH on parameter 1 (SM3 not implemented).
  EXPECT_EQ(test::rcOf(e.execute(0, test::pcrReset(24))), 0x184u);
  EXPECT_EQ(test::rcOf(e.execute(0, test::pcrRead(0x0012, 0))), 0x1C3u);
  // An oversized command.
  Cmd big{0x17E, {}, 0, {}, Bytes(5000, 0)};
  EXPECT_EQ(test::rcOf(e.execute(0, big.build())), 0x142u);
}

Bytes getRandom(DlsimEngine& e, uint16_t n) {
  Cmd c{0x17B, {}, 0, {}, {}};
  be16(c.params, n);
  auto r = e.execute(0, c.build());
  EXPECT_EQ(test::rcOf(r), 0u);
  return Bytes(r.begin() + 12, r.end());
}

TEST(TpmEngine, GetRandomIsSeededAndDeterministic) {
  EngineConfig c;
  c.rngSeed = 42;
  DlsimEngine a(c), b(c);
  a.execute(0, test::startupClear());
  b.execute(0, test::startupClear());
  auto x = getRandom(a, 10);
  EXPECT_EQ(x, getRandom(b, 10));
  // Stream = SHA-256(seed_le64 || counter_le64) blocks.
  Bytes block(16, 0);
  block[0] = 42;
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(block);
  auto d = h->final();
  EXPECT_EQ(x, Bytes(d.begin(), d.begin() + 10));
  EXPECT_EQ(getRandom(a, 100).size(), 64u);  // clipped to sizeof(TPMU_HA)
  c.rngSeed = 43;
  DlsimEngine other(c);
  other.execute(0, test::startupClear());
  EXPECT_NE(getRandom(other, 10), getRandom(b, 10));
}

TEST(TpmEngine, NvPreloadIsReadable) {
  DlsimEngine e;
  NvIndex n;
  n.index = 0x01200001;
  n.nameAlg = 0x000B;
  n.attributes = 0x2 | 0x20000 | 0x02000000;  // OWNERWRITE | OWNERREAD | NO_DA
  n.data = {1, 2, 3, 4, 5};
  e.preloadNv(n, "scenario.json tpm.nv[0]");
  e.execute(0, test::startupClear());
  Cmd rd{0x14E, {0x40000001, 0x01200001}, 1, {}, {}};
  be16(rd.params, 3);
  be16(rd.params, 1);
  auto r = e.execute(0, rd.build());
  ASSERT_EQ(test::rcOf(r), 0u);
  // 80 02, size, rc, paramSize, TPM2B {2,3,4}, session 00 00 01 00 00.
  EXPECT_EQ(Bytes(r.begin() + 14, r.end()), test::unhex("0003 020304 0000 01 0000"));
  EXPECT_THROW(e.preloadNv(n, "scenario.json tpm.nv[1]"), InputError);
  n.index = 0x02000000;
  EXPECT_THROW(e.preloadNv(n, "scenario.json tpm.nv[2]"), InputError);
}

TEST(TpmEngine, CapabilityProperties) {
  DlsimEngine e;
  e.execute(0, test::startupClear());
  Cmd c{0x17A, {}, 0, {}, {}};
  be32(c.params, 6);
  be32(c.params, 0x100);
  be32(c.params, 1);
  EXPECT_EQ(e.execute(0, c.build()), test::unhex("8001 0000001B 00000000 01 00000006 00000001 00000100 322E3000"));
  Cmd pc{0x17A, {}, 0, {}, {}};
  be32(pc.params, 6);
  be32(pc.params, 0x112);
  be32(pc.params, 2);
  EXPECT_EQ(e.execute(0, pc.build()),
            test::unhex("8001 00000023 00000000 01 00000006 00000002 00000112 00000018 00000113 00000003"));
}

}  // namespace
}  // namespace dlsim::tpm
