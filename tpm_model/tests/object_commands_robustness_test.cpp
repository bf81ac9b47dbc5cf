// Mutated object commands (bit flips, truncations, size-field changes of
// tboot's CreatePrimary / Create / Load / ContextLoad / Unseal) never throw
// out of execute() and always get a well-formed response: an error is the
// bare 10-byte header, a success has a size field equal to its length and
// fits the 4096-byte interface buffer. A fixed-seed PRNG picks the mutations.
#include <gtest/gtest.h>

#include <random>

#include "tpm_model/dlsim_engine.h"
#include "tpm_model/tests/object_command_bytes.h"

namespace dlsim::tpm {
namespace {

using namespace test;

void expectWellFormed(const Bytes& cmd, const Bytes& r) {
  ASSERT_GE(r.size(), 10u);
  ASSERT_LE(r.size(), 4096u);
  uint32_t size = (uint32_t(r[2]) << 24) | (uint32_t(r[3]) << 16) | (uint32_t(r[4]) << 8) | r[5];
  EXPECT_EQ(size, r.size());
  if (rcOf(r) != 0) {
    EXPECT_EQ(r.size(), 10u);
  } else {
    EXPECT_EQ(r[0], cmd[0]);
    EXPECT_EQ(r[1], cmd[1]);
  }
}

TEST(TpmObjectsRobustness, MutatedCommandsGetWellFormedAnswers) {
  DlsimEngine e;
  ASSERT_EQ(rcOf(e.execute(0, startupClear())), 0u);
  Bytes primaryRsp = e.execute(0, tbootCreatePrimary());
  uint32_t primary = handleOf(primaryRsp);
  CreateRsp c = parseCreate(e.execute(0, tbootCreate(primary, {1, 2, 3})));
  Bytes ctx = savedContext(e.execute(0, contextSave(primary)));
  const std::vector<Bytes> seeds = {
      tbootCreate(primary, {1, 2, 3}), tbootLoad(primary, c.outPrivate, c.outPublic), contextLoad(ctx),
      unsealCmd(0x80000001, {'t', 'e', 's', 't'}), tbootCreatePrimary(0x4000000B), contextSave(primary),
      Cmd{0x122, {0x40000001, 0x01000001}, 1, {}, {}}.build()};
  std::mt19937 prng(12345);
  Bytes base = e.saveState();
  for (int i = 0; i < 3000; ++i) {
    Bytes cmd = seeds[prng() % seeds.size()];
    // CreatePrimary mutations could each ask for a new RSA key: keep those to
    // the header and session area (bytes before the template).
    size_t limit = (cmd[9] == 0x31) ? 30 : cmd.size();
    int kind = int(prng() % 4);
    if (kind == 0) {
      cmd[10 + prng() % (limit - 10)] ^= uint8_t(1u << (prng() % 8));
    } else if (kind == 1) {
      cmd.resize(10 + prng() % (cmd.size() - 10));
    } else if (kind == 2) {
      cmd[10 + prng() % (limit - 10)] = uint8_t(prng());
    } else {
      cmd.insert(cmd.end(), prng() % 8, uint8_t(prng()));
    }
    uint32_t n = uint32_t(cmd.size());
    if (prng() % 4) for (int k = 0; k < 4; ++k) cmd[2 + k] = uint8_t(n >> (24 - 8 * k));
    Bytes r;
    ASSERT_NO_THROW(r = e.execute(0, cmd)) << i;
    expectWellFormed(cmd, r);
    if (i % 50 == 0) e.restoreState(base);
  }
}

}  // namespace
}  // namespace dlsim::tpm
