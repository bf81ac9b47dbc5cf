// Unit tests of dlsim's engine: PCR Startup values, extend/reset/event
// locality rules, D-RTM and H-CRTM sequences. Expected digests are computed
// here with Botan from the spec formula PCR_new = H(PCR_old || digest).
#include <botan/hash.h>
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/tests/command_builder.h"

namespace dlsim::tpm {
namespace {

using test::Bytes;

Bytes H(const char* alg, const Bytes& a, const Bytes& b = {}) {
  auto h = Botan::HashFunction::create_or_throw(alg);
  h->update(a);
  h->update(b);
  auto d = h->final();
  return Bytes(d.begin(), d.end());
}

struct BankInfo {
  uint16_t id;
  const char* botan;
  size_t size;
};
const BankInfo kAll[] = {{0x0004, "SHA-1", 20}, {0x000B, "SHA-256", 32}, {0x000C, "SHA-384", 48},
                         {0x000D, "SHA-512", 64}, {0x0012, "SM3", 32}};

EngineConfig allBanks() {
  EngineConfig c;
  c.hashAlgs = {0x0004, 0x000B, 0x000C, 0x000D, 0x0012};
  c.pcrBanks = c.hashAlgs;
  return c;
}

TEST(TpmPcr, StartupValues) {
  DlsimEngine e(allBanks());
  ASSERT_EQ(test::rcOf(e.execute(3, test::startupClear())), 0u);
  for (const auto& b : kAll)
    for (unsigned i = 0; i < 24; ++i) {
      Bytes want(b.size, (i >= 17 && i <= 22) ? 0xFF : 0x00);
      if (i == 0) want.back() = 3;  // startup locality
      EXPECT_EQ(*e.pcrValue(b.id, i), want) << b.botan << " PCR " << i;
    }
}

TEST(TpmPcr, ExtendEveryBankAndReadBack) {
  DlsimEngine e(allBanks());
  e.execute(0, test::startupClear());
  std::vector<std::pair<uint16_t, Bytes>> ds;
  for (const auto& b : kAll) ds.push_back({b.id, H(b.botan, Bytes{'x', uint8_t(b.id)})});
  ASSERT_EQ(test::rcOf(e.execute(0, test::pcrExtend(7, ds))), 0u);
  for (size_t k = 0; k < ds.size(); ++k) {
    Bytes want = H(kAll[k].botan, Bytes(kAll[k].size, 0), ds[k].second);
    EXPECT_EQ(*e.pcrValue(kAll[k].id, 7), want) << kAll[k].botan;
    // PCR_Read response: header, counter, selection (4+2+1+3), count, TPM2B.
    auto r = e.execute(0, test::pcrRead(kAll[k].id, 7));
    ASSERT_EQ(test::rcOf(r), 0u);
    ASSERT_EQ(r.size(), 10 + 4 + 10 + 4 + 2 + kAll[k].size);
    EXPECT_EQ(Bytes(r.end() - long(kAll[k].size), r.end()), want);
  }
}

TEST(TpmPcr, EventHashesDataIntoEveryBank) {
  DlsimEngine e(allBanks());
  e.execute(0, test::startupClear());
  Bytes data = {0x00, 0xFF, 0x55, 0xAA};
  auto r = e.execute(0, test::pcrEvent(16, data));
  ASSERT_EQ(test::rcOf(r), 0u);
  // 80 02, size, rc, parameterSize, count = 5, then {alg, digest}...
  size_t off = 10 + 4;
  EXPECT_EQ(r[off + 3], 5);
  off += 4;
  for (const auto& b : kAll) {
    EXPECT_EQ((r[off] << 8) | r[off + 1], b.id);
    EXPECT_EQ(Bytes(r.begin() + long(off) + 2, r.begin() + long(off + 2 + b.size)), H(b.botan, data));
    off += 2 + b.size;
    EXPECT_EQ(*e.pcrValue(b.id, 16), H(b.botan, Bytes(b.size, 0), H(b.botan, data)));
  }
}

TEST(TpmPcr, LocalityRules) {
  // {pcr, extend mask, reset mask} from the PC Client table in spec/tpm.md §3.
  struct Row {
    unsigned pcr;
    uint8_t extend, reset;
  };
  const Row rows[] = {{0, 0x1F, 0}, {10, 0x1F, 0}, {16, 0x1F, 0x0F}, {17, 0x1C, 0}, {18, 0x1C, 0},
                      {19, 0x0C, 0},  {20, 0x0E, 0x04}, {21, 0x04, 0x04}, {22, 0x04, 0x04}, {23, 0x1F, 0x0F}};
  for (const auto& row : rows)
    for (uint8_t loc = 0; loc <= 4; ++loc) {
      DlsimEngine e;
      e.execute(0, test::startupClear());
      auto ext = test::rcOf(e.execute(loc, test::pcrExtend(row.pcr, {{0x000B, Bytes(32, 1)}})));
      EXPECT_EQ(ext, ((row.extend >> loc) & 1) ? 0u : 0x907u) << "extend PCR " << row.pcr << " loc " << int(loc);
      auto rst = test::rcOf(e.execute(loc, test::pcrReset(row.pcr)));
      EXPECT_EQ(rst, ((row.reset >> loc) & 1) ? 0u : 0x907u) << "reset PCR " << row.pcr << " loc " << int(loc);
      if (rst == 0) {
        EXPECT_EQ(*e.pcrValue(0x000B, row.pcr), Bytes(32, 0));
      }
    }
}

TEST(TpmPcr, DrtmSequenceAfterStartup) {
  DlsimEngine e(allBanks());
  e.execute(0, test::startupClear());
  e.execute(0, test::pcrExtend(20, {{0x0004, Bytes(20, 9)}}));  // not allowed at 0; stays ones
  EXPECT_FALSE(e.established());
  Bytes part1 = {'a', 'b'}, part2 = {'c'};
  e.hashStart();
  EXPECT_TRUE(e.established());
  e.hashData(part1);
  e.hashData(part2);
  e.hashEnd();
  Bytes abc = {'a', 'b', 'c'};
  for (const auto& b : kAll) {
    EXPECT_EQ(*e.pcrValue(b.id, 17), H(b.botan, Bytes(b.size, 0), H(b.botan, abc))) << b.botan;
    for (unsigned p = 18; p <= 22; ++p) EXPECT_EQ(*e.pcrValue(b.id, p), Bytes(b.size, 0)) << p;
    EXPECT_EQ(*e.pcrValue(b.id, 0), Bytes(b.size, 0));
  }
  EXPECT_FALSE(e.resetEstablished(2));
  EXPECT_TRUE(e.established());
  EXPECT_TRUE(e.resetEstablished(3));
  EXPECT_FALSE(e.established());
}

TEST(TpmPcr, HcrtmBeforeStartupOwnsPcr0) {
  DlsimEngine e;
  e.hashStart();
  e.hashData(Bytes{'a', 'b', 'c'});
  e.hashEnd();
  ASSERT_EQ(test::rcOf(e.execute(3, test::startupClear())), 0u);
  Bytes init(32, 0);
  init.back() = 4;
  EXPECT_EQ(*e.pcrValue(0x000B, 0), H("SHA-256", init, H("SHA-256", Bytes{'a', 'b', 'c'})));
  EXPECT_EQ(*e.pcrValue(0x000B, 17), Bytes(32, 0xFF));  // no D-RTM yet
}

TEST(TpmPcr, CommandInsideSequenceCancelsIt) {
  DlsimEngine e;
  e.execute(0, test::startupClear());
  e.hashStart();
  e.hashData(Bytes{1});
  e.execute(0, test::pcrRead(0x0004, 0));
  e.hashEnd();
  EXPECT_EQ(*e.pcrValue(0x000B, 17), Bytes(32, 0xFF));
  EXPECT_TRUE(e.established());  // set by _TPM_Hash_Start already
}

TEST(TpmPcr, UnallocatedBankIsIgnoredByExtend) {
  EngineConfig c;
  c.pcrBanks = {0x000B};
  DlsimEngine e(c);
  e.execute(0, test::startupClear());
  EXPECT_EQ(test::rcOf(e.execute(0, test::pcrExtend(1, {{0x0004, Bytes(20, 1)}, {0x000B, Bytes(32, 2)}}))), 0u);
  EXPECT_FALSE(e.pcrValue(0x0004, 1).has_value());
  EXPECT_EQ(*e.pcrValue(0x000B, 1), H("SHA-256", Bytes(32, 0), Bytes(32, 2)));
}

TEST(TpmPcr, BadConfigurationIsInputError) {
  EngineConfig c;
  c.pcrBanks = {0x0012};  // SM3 not among the implemented hashes
  EXPECT_THROW(DlsimEngine(c, "scenario.json tpm"), InputError);
  c.pcrBanks = {0x0099};
  EXPECT_THROW(DlsimEngine(c, "scenario.json tpm"), InputError);
  c.pcrBanks = {};
  EXPECT_THROW(DlsimEngine(c, "scenario.json tpm"), InputError);
}

}  // namespace
}  // namespace dlsim::tpm
