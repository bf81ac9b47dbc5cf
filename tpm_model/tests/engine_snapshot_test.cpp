// Engine snapshots (TpmEngine::saveState / restoreState) of both engines and
// through the TIS device: a restore puts PCRs, open hash sequences, the RNG
// position, NV and tpmEstablished back exactly as at the save point (values
// computed here with Botan), repeatedly, and malformed state is refused with
// an InputError without touching the engine.
#include <botan/hash.h>
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/libtpms_engine.h"
#include "tpm_model/tests/command_builder.h"

namespace dlsim::tpm {
namespace {

using test::be16;
using test::be32;
using test::Bytes;
using test::Cmd;

constexpr uint16_t kSha1 = 0x0004, kSha256 = 0x000B;

Bytes hashOf(const char* alg, const Bytes& a, const Bytes& b = {}) {
  auto h = Botan::HashFunction::create_or_throw(alg);
  h->update(a);
  h->update(b);
  auto d = h->final();
  return Bytes(d.begin(), d.end());
}

// Digests for extend number i (SHA-1 and SHA-256 of a counter string).
Bytes d1(int i) { return hashOf("SHA-1", Bytes{uint8_t('x'), uint8_t(i)}); }
Bytes d256(int i) { return hashOf("SHA-256", Bytes{uint8_t('y'), uint8_t(i)}); }

// Model of one PCR's value in both banks (Part 1: new = H(old || digest)).
struct Pcr {
  Bytes sha1 = Bytes(20, 0), sha256 = Bytes(32, 0);
  void extend(int i) {
    sha1 = hashOf("SHA-1", sha1, d1(i));
    sha256 = hashOf("SHA-256", sha256, d256(i));
  }
};

void extend(TpmEngine& e, uint32_t pcr, int i) {
  ASSERT_EQ(test::rcOf(e.execute(0, test::pcrExtend(pcr, {{kSha1, d1(i)}, {kSha256, d256(i)}}))), 0u);
}

void expectPcr(TpmEngine& e, unsigned pcr, const Pcr& want, const std::string& what) {
  auto a = e.pcrValue(kSha1, pcr);
  auto b = e.pcrValue(kSha256, pcr);
  ASSERT_TRUE(a && b) << what;
  EXPECT_EQ(*a, want.sha1) << what << ": SHA-1 PCR " << pcr;
  EXPECT_EQ(*b, want.sha256) << what << ": SHA-256 PCR " << pcr;
}

Bytes getRandom(TpmEngine& e, uint16_t n) {
  Cmd c{0x17B, {}, 0, {}, {}};
  be16(c.params, n);
  auto r = e.execute(0, c.build());
  EXPECT_EQ(test::rcOf(r), 0u);
  return r.size() > 12 ? Bytes(r.begin() + 12, r.end()) : Bytes{};
}

// The GetRandom stream, written out from its definition: SHA-256(seed_le64 ||
// counter_le64) blocks concatenated.
Bytes streamBytes(uint64_t seed, size_t from, size_t n) {
  Bytes all;
  for (uint64_t counter = 0; all.size() < from + n; ++counter) {
    Bytes block(16);
    for (int i = 0; i < 8; ++i) {
      block[size_t(i)] = uint8_t(seed >> (8 * i));
      block[size_t(8 + i)] = uint8_t(counter >> (8 * i));
    }
    auto d = hashOf("SHA-256", block);
    all.insert(all.end(), d.begin(), d.end());
  }
  return Bytes(all.begin() + long(from), all.begin() + long(from + n));
}

Bytes u16b(uint16_t v) {
  Bytes b;
  be16(b, v);
  return b;
}
Bytes tpm2b(const Bytes& d) {
  Bytes b = u16b(uint16_t(d.size()));
  b.insert(b.end(), d.begin(), d.end());
  return b;
}

// HashSequenceStart(SHA-256) -> handle; SequenceUpdate; SequenceComplete ->
// digest (parameter area starts after tag, size, rc and parameterSize).
uint32_t startSequence(TpmEngine& e) {
  Bytes p = tpm2b({});
  be16(p, kSha256);
  auto r = e.execute(0, Cmd{0x186, {}, 0, {}, p}.build());
  EXPECT_EQ(test::rcOf(r), 0u);
  return r.size() >= 14 ? (uint32_t(r[10]) << 24) | (uint32_t(r[11]) << 16) | (uint32_t(r[12]) << 8) | r[13] : 0;
}
void updateSequence(TpmEngine& e, uint32_t h, const Bytes& data) {
  EXPECT_EQ(test::rcOf(e.execute(0, Cmd{0x15C, {h}, 1, {}, tpm2b(data)}.build())), 0u);
}
Bytes completeSequence(TpmEngine& e, uint32_t h) {
  Bytes p = tpm2b({});
  be32(p, 0x40000007);  // TPM_RH_NULL hierarchy
  auto r = e.execute(0, Cmd{0x13E, {h}, 1, {}, p}.build());
  EXPECT_EQ(test::rcOf(r), 0u);
  if (r.size() < 16 + 32) return {};
  return Bytes(r.begin() + 16, r.begin() + 16 + 32);
}

TEST(DlsimEngineSnapshot, RestoreGoesBackToTheSavePoint) {
  EngineConfig c;
  c.rngSeed = 99;
  DlsimEngine e(c);
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  Pcr p16, p23;
  for (int i = 0; i < 3; ++i) {
    extend(e, 16, i);
    p16.extend(i);
  }
  extend(e, 23, 7);
  p23.extend(7);
  getRandom(e, 10);  // the stream is now at byte 10
  uint32_t seq = startSequence(e);
  Bytes part1 = {1, 2, 3, 4, 5}, part2 = {6, 7, 8};
  updateSequence(e, seq, part1);
  const Bytes saved = e.saveState();

  // Move on: more extends, random bytes, a finished sequence, a reset PCR.
  for (int i = 10; i < 15; ++i) extend(e, 16, i);
  getRandom(e, 40);
  updateSequence(e, seq, {9, 9, 9});
  completeSequence(e, seq);
  ASSERT_EQ(test::rcOf(e.execute(0, test::pcrReset(23))), 0u);

  e.restoreState(saved);
  expectPcr(e, 16, p16, "after restore");
  expectPcr(e, 23, p23, "after restore");
  EXPECT_EQ(e.saveState(), saved);
  EXPECT_EQ(getRandom(e, 20), streamBytes(99, 10, 20));
  updateSequence(e, seq, part2);
  Bytes all = part1;
  all.insert(all.end(), part2.begin(), part2.end());
  EXPECT_EQ(completeSequence(e, seq), hashOf("SHA-256", all));
}

TEST(DlsimEngineSnapshot, ThousandRestoresGiveTheSamePcrs) {
  DlsimEngine e;
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  Pcr p16;
  extend(e, 16, 1);
  p16.extend(1);
  const Bytes saved = e.saveState();
  Pcr next = p16;
  next.extend(2);
  for (int i = 0; i < 1000; ++i) {
    e.restoreState(saved);
    expectPcr(e, 16, p16, "restore " + std::to_string(i));
    extend(e, 16, 2);
    extend(e, 23, 3);
    expectPcr(e, 16, next, "restore " + std::to_string(i) + " + extend");
    if (HasFailure()) break;
  }
}

TEST(DlsimEngineSnapshot, DrtmSequenceNvAndEstablishedSurvive) {
  DlsimEngine e;
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  NvIndex n;
  n.index = 0x01500010;
  n.nameAlg = kSha256;
  n.attributes = 0x2 | 0x20000 | 0x02000000;
  n.data = {0xAA, 0xBB};
  e.preloadNv(n, "test");
  Bytes part1(100, 0x5A), part2(28, 0xA5);
  e.hashStart();
  e.hashData(part1);
  ASSERT_TRUE(e.established());
  const Bytes saved = e.saveState();
  e.hashData(Bytes(7, 1));
  e.hashEnd();
  e.resetEstablished(4);
  e.powerOn();
  ASSERT_FALSE(e.established());

  e.restoreState(saved);
  EXPECT_TRUE(e.established());
  e.hashData(part2);
  e.hashEnd();
  // Part 3 §22.11 after Startup: PCR17 := H(0^n || H(data)).
  Bytes all = part1;
  all.insert(all.end(), part2.begin(), part2.end());
  EXPECT_EQ(*e.pcrValue(kSha256, 17), hashOf("SHA-256", Bytes(32, 0), hashOf("SHA-256", all)));
  EXPECT_EQ(*e.pcrValue(kSha1, 17), hashOf("SHA-1", Bytes(20, 0), hashOf("SHA-1", all)));
  ASSERT_EQ(e.state().nv.count(0x01500010), 1u);
  EXPECT_EQ(e.state().nv.at(0x01500010).data, n.data);
}

TEST(DlsimEngineSnapshot, MalformedStateIsRefusedAndChangesNothing) {
  DlsimEngine e;
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  extend(e, 16, 1);
  startSequence(e);
  e.hashStart();
  e.hashData(Bytes{1, 2, 3});
  const Bytes saved = e.saveState();

  DlsimEngine other;
  ASSERT_EQ(test::rcOf(other.execute(0, test::startupClear())), 0u);
  extend(other, 23, 5);
  const Bytes before = other.saveState();
  // Every truncation.
  for (size_t n = 0; n < saved.size(); ++n) {
    try {
      other.restoreState(std::span<const uint8_t>(saved.data(), n));
      ADD_FAILURE() << "accepted " << n << " of " << saved.size() << " bytes";
    } catch (const InputError& err) {
      EXPECT_NE(std::string(err.what()).find("dlsim tpm engine snapshot: field "), std::string::npos) << err.what();
    }
  }
  EXPECT_EQ(other.saveState(), before);
  Bytes longer = saved;
  longer.push_back(0);
  EXPECT_THROW(other.restoreState(longer), InputError);
  // Wrong tag, unknown version, unimplemented bank, bad orderly value.
  Bytes bad = saved;
  bad[0] ^= 1;
  EXPECT_THROW(other.restoreState(bad), InputError);
  bad = saved;
  bad[4] = 77;
  EXPECT_THROW(other.restoreState(bad), InputError);
  bad = saved;
  bad[6] = 0x7F;  // first hash algorithm (u16 LE after the count): 0x7F7F is no hash
  bad[7] = 0x7F;
  try {
    other.restoreState(bad);
    ADD_FAILURE() << "unknown hash algorithm accepted";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("hash algorithms"), std::string::npos) << err.what();
  }
  EXPECT_EQ(other.saveState(), before);
  // Every single-byte corruption: refused or accepted, never a crash, and a
  // refused one leaves the engine as it was.
  for (size_t i = 0; i < saved.size(); ++i) {
    Bytes x = saved;
    x[i] ^= 0xFF;
    DlsimEngine victim;
    const Bytes victimBefore = victim.saveState();
    try {
      victim.restoreState(x);
    } catch (const InputError&) {
      ASSERT_EQ(victim.saveState(), victimBefore) << "byte " << i;
    }
  }
  // The valid state is still accepted.
  other.restoreState(saved);
  EXPECT_EQ(other.saveState(), saved);
}

TEST(TisDeviceSnapshot, CarriesTheEngineState) {
  DlsimEngine e;
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  TisDevice tis(e);
  Pcr p16;
  extend(e, 16, 4);
  p16.extend(4);
  const Bytes saved = tis.saveState();
  extend(e, 16, 5);
  e.hashStart();
  e.hashEnd();
  tis.restoreState(saved);
  expectPcr(e, 16, p16, "device restore");
  EXPECT_FALSE(e.established());
  // A state whose engine part is cut short: nothing changes.
  extend(e, 16, 6);
  const Bytes before = tis.saveState();
  Bytes cut(saved.begin(), saved.end() - 5);
  try {
    tis.restoreState(cut);
    FAIL() << "truncated device state accepted";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("engine_state"), std::string::npos) << err.what();
  }
  EXPECT_EQ(tis.saveState(), before);
}

// libtpms: one engine per process, so each test builds its own in turn.
TEST(LibtpmsEngineSnapshot, RestoreGoesBackToTheSavePoint) {
  LibtpmsEngine e(5);
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  Pcr p16, p23;
  for (int i = 0; i < 3; ++i) {
    extend(e, 16, i);
    p16.extend(i);
  }
  extend(e, 23, 8);
  p23.extend(8);
  getRandom(e, 10);
  uint32_t seq = startSequence(e);
  Bytes part1 = {1, 2, 3}, part2 = {4, 5, 6, 7};
  updateSequence(e, seq, part1);
  const Bytes saved = e.saveState();

  for (int i = 10; i < 13; ++i) extend(e, 16, i);
  getRandom(e, 30);
  completeSequence(e, seq);
  e.hashStart();
  e.hashData(Bytes{1});
  e.hashEnd();
  ASSERT_TRUE(e.established());

  e.restoreState(saved);
  EXPECT_FALSE(e.established());
  expectPcr(e, 16, p16, "after restore");
  expectPcr(e, 23, p23, "after restore");
  EXPECT_EQ(getRandom(e, 20), streamBytes(5, 10, 20));
  updateSequence(e, seq, part2);
  Bytes all = part1;
  all.insert(all.end(), part2.begin(), part2.end());
  EXPECT_EQ(completeSequence(e, seq), hashOf("SHA-256", all));

  // Repeated restores land on the same values.
  Pcr next = p16;
  next.extend(2);
  for (int i = 0; i < 1000; ++i) {
    e.restoreState(saved);
    expectPcr(e, 16, p16, "restore " + std::to_string(i));
    extend(e, 16, 2);
    expectPcr(e, 16, next, "restore " + std::to_string(i) + " + extend");
    if (HasFailure()) break;
  }
  // powerOn after a restore is a real _TPM_Init: Startup is needed again.
  e.restoreState(saved);
  e.powerOn();
  EXPECT_EQ(test::rcOf(e.execute(0, test::pcrRead(kSha256, 16))), 0x100u);
}

uint64_t le64(const Bytes& b, size_t at) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(b[at + size_t(i)]) << (8 * i);
  return v;
}

// Offset of the first byte of the permanent (0) or volatile (1) blob in a
// libtpms engine state: tag, version, NV files (count; name and data, each
// length-prefixed), then the length-prefixed blobs.
size_t blobOffset(const Bytes& s, int which) {
  size_t at = 5;
  uint64_t files = le64(s, at);
  at += 8;
  for (uint64_t f = 0; f < 2 * files; ++f) at += 8 + le64(s, at);
  if (which == 1) at += 8 + le64(s, at);
  return at + 8;
}

TEST(LibtpmsEngineSnapshot, MalformedStateIsRefusedAndTheTpmKeepsRunning) {
  LibtpmsEngine e;
  ASSERT_EQ(test::rcOf(e.execute(0, test::startupClear())), 0u);
  Pcr p16;
  extend(e, 16, 1);
  p16.extend(1);
  const Bytes saved = e.saveState();
  extend(e, 16, 2);
  Pcr now = p16;
  now.extend(2);
  for (size_t n : {size_t(0), size_t(4), size_t(5), size_t(13), saved.size() / 2, saved.size() - 1}) {
    try {
      e.restoreState(std::span<const uint8_t>(saved.data(), n));
      ADD_FAILURE() << "accepted " << n << " bytes";
    } catch (const InputError& err) {
      EXPECT_NE(std::string(err.what()).find("libtpms tpm engine snapshot: field "), std::string::npos) << err.what();
    }
  }
  expectPcr(e, 16, now, "after refused truncations");
  // Well-framed states whose blobs libtpms cannot unmarshal: refused by
  // TPMLIB_SetState, and the engine is put back.
  for (int blob = 0; blob < 2; ++blob) {
    Bytes garbled = saved;
    size_t at = blobOffset(saved, blob);
    ASSERT_LT(at + 16, saved.size());
    for (size_t i = at; i < at + 16; ++i) garbled[i] ^= 0x5A;
    try {
      e.restoreState(garbled);
      ADD_FAILURE() << "garbled libtpms blob " << blob << " accepted";
    } catch (const InputError& err) {
      EXPECT_NE(std::string(err.what()).find(blob == 0 ? "permanent_state" : "volatile_state"), std::string::npos)
          << err.what();
    }
    expectPcr(e, 16, now, "after a refused blob");
  }
  extend(e, 16, 3);
  now.extend(3);
  expectPcr(e, 16, now, "the TPM still runs");
  // A dlsim engine's state is not a libtpms one.
  DlsimEngine d;
  EXPECT_THROW(e.restoreState(d.saveState()), InputError);
  EXPECT_THROW(d.restoreState(saved), InputError);
}

}  // namespace
}  // namespace dlsim::tpm
