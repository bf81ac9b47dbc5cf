// TPM2_GetRandom through the libtpms engine is a function of the seed: the
// same seed gives the same bytes run after run (and the same stream as
// dlsim's engine, written out here from its definition), different seeds
// differ, and malformed GetRandom commands get the same response code from
// both engines.
#include <botan/hash.h>
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

Bytes getRandomCmd(uint16_t n) {
  Cmd c{0x17B, {}, 0, {}, {}};
  be16(c.params, n);
  return c.build();
}

// Random bytes of a GetRandom response without sessions.
Bytes randomBytes(const Bytes& rsp) {
  EXPECT_EQ(test::rcOf(rsp), 0u);
  if (rsp.size() < 12) return {};
  size_t n = size_t(rsp[10] << 8 | rsp[11]);
  EXPECT_EQ(rsp.size(), 12 + n);
  return Bytes(rsp.begin() + 12, rsp.end());
}

// SHA-256(seed_le64 || counter_le64) blocks, concatenated.
Bytes stream(uint64_t seed, size_t n) {
  Bytes out;
  for (uint64_t counter = 0; out.size() < n; ++counter) {
    uint8_t block[16];
    for (int i = 0; i < 8; ++i) {
      block[i] = uint8_t(seed >> (8 * i));
      block[8 + i] = uint8_t(counter >> (8 * i));
    }
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    h->update(block, sizeof(block));
    auto d = h->final();
    out.insert(out.end(), d.begin(), d.end());
  }
  out.resize(n);
  return out;
}

// 16 + 64 + 5 bytes from a fresh libtpms engine (one exists at a time).
Bytes libtpmsDraws(uint64_t seed) {
  LibtpmsEngine e(seed);
  EXPECT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  Bytes out = randomBytes(e.execute(0, getRandomCmd(16)));
  Bytes big = randomBytes(e.execute(0, getRandomCmd(500)));  // clipped to 64
  EXPECT_EQ(big.size(), 64u);
  out.insert(out.end(), big.begin(), big.end());
  Bytes last = randomBytes(e.execute(0, getRandomCmd(5)));
  out.insert(out.end(), last.begin(), last.end());
  return out;
}

TEST(LibtpmsRandom, SameSeedSameBytesDifferentSeedDifferentBytes) {
  Bytes a = libtpmsDraws(1234);
  Bytes b = libtpmsDraws(1234);
  Bytes c = libtpmsDraws(1235);
  ASSERT_EQ(a.size(), 85u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a, stream(1234, 85));
  EXPECT_EQ(c, stream(1235, 85));
}

TEST(LibtpmsRandom, SameStreamAsDlsimEngine) {
  EngineConfig cfg;
  cfg.rngSeed = 77;
  DlsimEngine mine(cfg);
  LibtpmsEngine ref(77);
  ASSERT_EQ(test::rcOf(mine.execute(0, test::startupClear())), 0u);
  ASSERT_EQ(test::rcOf(ref.execute(0, test::startupClear())), 0u);
  for (uint16_t n : {0, 1, 31, 32, 33, 64, 100}) {
    Bytes cmd = getRandomCmd(n);
    EXPECT_EQ(mine.execute(0, cmd), ref.execute(0, cmd)) << "GetRandom(" << n << ")";
  }
}

TEST(LibtpmsRandom, MalformedCommandsGetTheSameCodeFromBothEngines) {
  DlsimEngine mine;
  LibtpmsEngine ref;
  auto both = [&](uint8_t loc, const Bytes& cmd, const std::string& what) {
    Bytes a = mine.execute(loc, cmd), b = ref.execute(loc, cmd);
    EXPECT_EQ(test::rcOf(a), test::rcOf(b)) << what;
    EXPECT_EQ(a, b) << what;
  };
  both(0, getRandomCmd(8), "before Startup");
  ASSERT_EQ(test::rcOf(mine.execute(0, test::startupClear())), 0u);
  ASSERT_EQ(test::rcOf(ref.execute(0, test::startupClear())), 0u);
  both(0, Cmd{0x17B, {}, 0, {}, {0x00}}.build(), "parameter cut short");
  both(0, Cmd{0x17B, {}, 0, {}, {}}.build(), "no parameter");
  both(0, Cmd{0x17B, {}, 0, {}, {0x00, 0x04, 0xEE}}.build(), "trailing byte");
  both(0, test::unhex("8001 0000000E 0000017B 0004"), "size field too large");
  both(3, getRandomCmd(8), "locality 3");
  both(0, getRandomCmd(8), "well formed after the errors");
  // A password session on a command without authorization handles.
  Cmd pw{0x17B, {}, 1, {}, {}};
  be16(pw.params, 4);
  both(0, pw.build(), "password session");
}

}  // namespace
}  // namespace dlsim::tpm
