// sim/platform_tpm_client: the platform's TPM driver over the bus, against
// the TIS and CRB models with both engines. Expected PCR values come from the
// PTP / TPM 2.0 formulas computed here with Botan.
#include <gtest/gtest.h>

#include <memory>

#include "sim/bus.h"
#include "sim/platform_tpm_client.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/crb_device.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/libtpms_engine.h"
#include "tpm_model/tests/interface_drivers.h"

namespace dlsim::tpm {
namespace {

using test::Bytes;

struct Setup {
  std::unique_ptr<TpmEngine> engine;
  std::unique_ptr<TpmInterface> dev;
  Bus bus;
};

// kind: "tis" / "crb"; engine "dlsim" / "libtpms".
std::unique_ptr<Setup> makeSetup(const std::string& kind, const std::string& engine) {
  auto s = std::make_unique<Setup>();
  if (engine == "dlsim")
    s->engine = std::make_unique<DlsimEngine>();
  else
    s->engine = std::make_unique<LibtpmsEngine>();
  if (kind == "tis")
    s->dev = std::make_unique<TisDevice>(*s->engine);
  else
    s->dev = std::make_unique<CrbDevice>(*s->engine);
  s->bus.mapMmio(0xFED40000, 0x5000, s->dev.get());
  return s;
}

class PlatformTpmClientTest : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(PlatformTpmClientTest, CommandsAtLocalities0And3AndTheHashSequenceAtLocality4) {
  auto [kind, engine] = GetParam();
  auto s = makeSetup(kind, engine);
  PlatformTpmClient c(s->bus);
  EXPECT_EQ(c.detect(0), std::string(kind) == "tis" ? TpmInterfaceKind::kFifo : TpmInterfaceKind::kCrb);
  auto t = c.transact(0, test::startupClear());
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.responseCode(), 0u);
  EXPECT_EQ(s->dev->activeLocality(), -1);  // released

  // Locality 4: HASH_START, 7 bytes (one 4-byte write and three 1-byte), HASH_END.
  Bytes data = {1, 2, 3, 4, 5, 6, 7};
  c.hashStart();
  c.hashData(data);
  c.hashEnd();
  EXPECT_TRUE(s->engine->established());
  Bytes z(32, 0);
  EXPECT_EQ(*s->engine->pcrValue(0x000B, 17), test::sha("SHA-256", z, test::sha("SHA-256", data)));
  EXPECT_EQ(*s->engine->pcrValue(0x000B, 18), z);

  // Locality 3 (a platform access marked 3 passes even with 3 closed): PCR 18 extend.
  Bytes dig(32, 0x5A);
  t = c.transact(3, test::extendSha256(18, dig));
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.responseCode(), 0u);
  EXPECT_EQ(*s->engine->pcrValue(0x000B, 18), test::sha("SHA-256", z, dig));
  EXPECT_EQ(s->dev->commandCount(3), 1u);
  EXPECT_EQ(s->dev->activeLocality(), -1);
  EXPECT_EQ(s->dev->droppedCount(), 0u);

  // A TPM error comes back as a response with its code.
  t = c.transact(0, test::extendSha256(18, dig));  // PCR 18 is not extendable at locality 0
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_NE(t.responseCode(), 0u);
}

TEST_P(PlatformTpmClientTest, ATpmThatStopsAnsweringEndsInANamedErrorAfterBoundedPolls) {
  auto [kind, engine] = GetParam();
  auto s = makeSetup(kind, engine);
  PlatformTpmClient c(s->bus, PlatformTpmClient::kDefaultBase, 50);
  ASSERT_TRUE(c.transact(0, test::startupClear()).ok);
  s->dev->stopAnsweringAfter(1);
  auto t = c.transact(3, test::extendSha256(17, Bytes(32, 1)));
  EXPECT_FALSE(t.ok);
  EXPECT_NE(t.error.find("no response"), std::string::npos) << t.error;
  EXPECT_EQ(t.responseCode(), 0xFFFFFFFFu);
  EXPECT_LE(c.polls(), 200u);
}

TEST_P(PlatformTpmClientTest, FailingCommandCodeReturnsTheInjectedResponseCode) {
  auto [kind, engine] = GetParam();
  auto s = makeSetup(kind, engine);
  PlatformTpmClient c(s->bus);
  ASSERT_TRUE(c.transact(0, test::startupClear()).ok);
  s->dev->failCommand(0x182, 0x101);  // PCR_Extend -> TPM_RC_FAILURE
  auto t = c.transact(3, test::extendSha256(17, Bytes(32, 1)));
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.responseCode(), 0x101u);
}

INSTANTIATE_TEST_SUITE_P(Interfaces, PlatformTpmClientTest,
                         ::testing::Combine(::testing::Values("tis", "crb"), ::testing::Values("dlsim", "libtpms")),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
                         });

TEST(PlatformTpmClient, NoTpmOnTheBus) {
  Bus bus;
  PlatformTpmClient c(bus);
  EXPECT_EQ(c.detect(4), TpmInterfaceKind::kNone);
  auto t = c.transact(3, test::startupClear());
  EXPECT_FALSE(t.ok);
  EXPECT_EQ(t.error, "no TPM interface answers at locality 3");
}

// The locality rule is the TPM's: the same bytes written by a CPU (whatever
// locality its context claims) never reach locality 4.
TEST(PlatformTpmClient, ACpuCannotDoWhatThePlatformDoesAtLocality4) {
  DlsimEngine e;
  TisDevice tis(e);
  Bus bus;
  bus.mapMmio(0xFED40000, 0x5000, &tis);
  PlatformTpmClient c(bus);
  ASSERT_TRUE(c.transact(0, test::startupClear()).ok);
  bus.mmioWrite(AccessContext::fromCpu(0, 4), 0xFED44028, 1, 0);
  bus.mmioWrite(AccessContext::fromCpu(0, 4), 0xFED44024, 4, 0x01020304);
  bus.mmioWrite(AccessContext::fromCpu(0, 4), 0xFED44020, 1, 0);
  EXPECT_FALSE(e.established());
  EXPECT_EQ(*e.pcrValue(0x000B, 17), Bytes(32, 0xFF));
  EXPECT_EQ(tis.droppedCount(), 3u);
}

}  // namespace
}  // namespace dlsim::tpm
