// makeTpmLaunchMeasurer on a machine-less set-up: a Bus with the TPM model's
// TIS or CRB device (dlsim's engine and libtpms), guest RAM holding the heap,
// the MLE and the event log. Expected PCR 17/18 values are computed here with
// Botan from the formulas (shared/spec/intel-txt.md §7): Hash_End leaves
// PCR 17 = H(0^n || H(ACM digest || EDX LE32)) and PCR 18 = 0^n, then each
// extend is H(old || H(event data)) (MLE_HASH: H(old || H(MLE bytes))), in
// the details/authorities order docs/txt-measurements.md gives: the TPM here
// is TPM 2.0, so that mapping whatever OsSinitData.capabilities bits 4/5 say
// (tboot 1.10 clears both on TPM 2.0). The log
// written into guest memory is replayed with tpm_model/eventlog too.
#include <botan/hash.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "sim/bus.h"
#include "sim/guest_memory.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/legacy_bank_log.h"
#include "tpm_model/eventlog/pcr_replay.h"
#include "tpm_model/interface/crb_device.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/libtpms_engine.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/measure/launch_log_reader.h"
#include "txt_model/measure/launch_measurer.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint64_t kHeapBase = 0x100000;
constexpr uint64_t kLogBase = 0x200000;
constexpr uint64_t kMleBase = 0x300000;
constexpr uint32_t kEdx = 0;

const char* botanName(uint16_t alg) {
  switch (alg) {
    case 0x0004: return "SHA-1";
    case 0x000B: return "SHA-256";
    case 0x000C: return "SHA-384";
    case 0x000D: return "SHA-512";
  }
  return nullptr;
}
Bytes H(uint16_t alg, const Bytes& a, const Bytes& b = {}) {
  auto h = Botan::HashFunction::create_or_throw(botanName(alg));
  h->update(a);
  h->update(b);
  auto d = h->final();
  return Bytes(d.begin(), d.end());
}
Bytes le32(uint32_t v) { return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)}; }
uint32_t rdLe32(const GuestMemory& m, uint64_t a) {
  uint32_t v = 0;
  EXPECT_TRUE(m.readValue(a, v));
  return v;
}

// One expected event: PCR, type, the bytes whose hash is extended.
struct Expected {
  unsigned pcr;
  uint32_t type;
  Bytes hashed;
  bool extended = true;
};

struct Rig {
  std::unique_ptr<tpm::TpmEngine> engine;
  std::unique_ptr<tpm::TpmInterface> dev;
  Bus bus;
  GuestMemory mem;
  Bytes acm;
  AcmHeader header;
  Bytes mle;
  heap::TxtHeap heap;
  uint64_t heapSize = 0;
  uint64_t logElementBody = 0;  // guest address of the EVENT_LOG_POINTER2_1 body
  std::unique_ptr<mle::BufferPhysReader> reader;
  std::unique_ptr<LaunchMeasurer> measurer;

  // legacyLogs: OsSinitData carries EVENT_LOG_POINTER2 (element 7) with these
  // descriptors instead of EVENT_LOG_POINTER2_1.
  Rig(const std::string& iface, const std::string& eng, uint32_t caps, uint32_t logSize = 0x2000, bool withLog = true,
      const std::vector<heap::EventLogDescriptor>& legacyLogs = {}) {
    if (eng == "dlsim")
      engine = std::make_unique<tpm::DlsimEngine>();
    else
      engine = std::make_unique<tpm::LibtpmsEngine>();
    if (iface == "tis")
      dev = std::make_unique<tpm::TisDevice>(*engine);
    else
      dev = std::make_unique<tpm::CrbDevice>(*engine);
    bus.mapMmio(0xFED40000, 0x5000, dev.get());
    mem.addRam(0, 0x1000000, "ram");
    // TPM2_Startup(CLEAR) as firmware sends it (locality 0).
    Bytes startup = {0x80, 0x01, 0, 0, 0, 0x0C, 0, 0, 0x01, 0x44, 0, 0};
    auto rsp = engine->execute(0, startup);
    EXPECT_EQ(rsp, (Bytes{0x80, 0x01, 0, 0, 0, 0x0A, 0, 0, 0, 0}));

    acm = buildSinitAcm(findTxtProfile("cfl-client-tpm2"));
    header = parseAcmHeader(acm, "sinit");
    for (size_t i = 0; i < 0x3456; ++i) mle.push_back(uint8_t(i * 7 + 3));
    EXPECT_TRUE(mem.write(kMleBase, mle.data(), mle.size()));
    // The MLE range lies in the test's own buffer (the walk itself is mle/'s).
    reader = std::make_unique<mle::BufferPhysReader>(kMleBase, mle);

    heap::BiosData bios;
    bios.version = 6;
    bios.numLogicalProcs = 1;
    heap::OsSinitData os;
    os.version = 7;
    os.capabilities = caps;
    os.mleSize = mle.size();
    if (!legacyLogs.empty())
      os.elements.push_back(heap::makeEventLogPointer2({legacyLogs}));
    else if (withLog)
      os.elements.push_back(heap::makeEventLogPointer2_1({kLogBase, logSize, 0, 0}));
    os.elements.push_back(heap::makeEnd());
    Bytes osMle(0x40, 0);
    auto bytes = heap::buildTxtHeap(bios, osMle, os);
    EXPECT_TRUE(mem.write(kHeapBase, bytes.data(), bytes.size()));
    heapSize = bytes.size();
    auto parsed = heap::parseTxtHeap(bytes, heap::HeapScope::kBeforeLaunch);
    heap = parsed.heap;
    EXPECT_TRUE(heap.osSinit.has_value());
    if (!legacyLogs.empty()) {
      const auto* e = heap::findElement(heap.osSinit->elements, heap::ElementType::kEventLogPointer2);
      EXPECT_NE(e, nullptr);
      logElementBody = kHeapBase + e->heapOffset + 8;
    } else if (withLog) {
      const auto* e = heap::findElement(heap.osSinit->elements, heap::ElementType::kEventLogPointer2_1);
      EXPECT_NE(e, nullptr);
      logElementBody = kHeapBase + e->heapOffset + 8;
    }
    measurer = makeTpmLaunchMeasurer(bus, mem);
  }

  LaunchMeasurementInputs inputs() const {
    LaunchMeasurementInputs in;
    in.memory = reader.get();
    in.mle.ranges = {{kMleBase, mle.size()}};
    in.heap = heap;
    in.heapBase = kHeapBase;
    in.acmModule = acm;
    in.acmHeader = header;
    in.senterEdx = kEdx;
    return in;
  }
  std::optional<MeasurementFailure> acmStep() { return measurer->measureAcm({acm, header, kEdx}); }

  std::vector<uint16_t> banks() {
    std::vector<uint16_t> b;
    for (uint16_t alg : {0x0004, 0x000B, 0x000C, 0x000D})
      if (engine->pcrValue(alg, 17)) b.push_back(alg);
    return b;
  }
  Bytes logBytes() {
    uint32_t next = rdLe32(mem, logElementBody + 16);
    Bytes b(next);
    EXPECT_TRUE(mem.read(kLogBase, b.data(), b.size()));
    return b;
  }
};

Bytes hashData(const Rig& r) {
  Bytes d = acmDigest(r.acm, r.header, "SHA-256");
  Bytes e = le32(kEdx);
  d.insert(d.end(), e.begin(), e.end());
  return d;
}

// The details/authorities order and data of docs/txt-measurements.md,
// written out here (the one mapping a TPM 2.0 launch uses).
std::vector<Expected> expectedEvents(const Rig& r, uint32_t caps) {
  const Bytes none = {0x00}, scrtm = le32(1), capsB = le32(caps);
  return {{17, 0x402, hashData(r), false}, {17, 0x40A, none},  {17, 0x40B, scrtm}, {17, 0x412, none},
          {17, 0x40E, none},              {17, 0x40F, capsB}, {17, 0x404, r.mle}, {17, 0x414, none},
          {18, 0x410, r.header.rsaPublicKey}, {18, 0x40B, scrtm}, {18, 0x40F, capsB}, {18, 0x413, none},
          {18, 0x414, none}};
}

// PCR `pcr` in bank `alg` after Hash_End and the extends of `events`.
Bytes expectedPcr(uint16_t alg, unsigned pcr, const std::vector<Expected>& events) {
  size_t n = H(alg, {}).size();
  Bytes v(n, 0);
  for (const auto& e : events)
    if (e.pcr == pcr) v = H(alg, v, H(alg, e.hashed));
  return v;
}

// OsSinitData.capabilities' PCR-mapping bits: 5 (pcr_map_da), 4
// (pcr_map_no_legacy) or neither, as tboot 1.10 leaves them on TPM 2.0.
enum class MapBits { kDa, kNoLegacy, kNeither };

class MeasurerTest : public ::testing::TestWithParam<std::tuple<const char*, const char*, MapBits>> {};

TEST_P(MeasurerTest, PcrsMatchTheFormulasAndTheLogReplaysToThem) {
  auto [iface, eng, bits] = GetParam();
  const uint32_t caps = (1u << 0) | (bits == MapBits::kDa ? 1u << 5 : 0) | (bits == MapBits::kNoLegacy ? 1u << 4 : 0);
  Rig r(iface, eng, caps);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_TRUE(res.ok()) << res.failure->step << ": " << res.failure->detail;

  auto banks = r.banks();
  ASSERT_FALSE(banks.empty());
  auto events = expectedEvents(r, caps);
  for (uint16_t alg : banks) {
    for (unsigned pcr : {17u, 18u})
      EXPECT_EQ(*r.engine->pcrValue(alg, pcr), expectedPcr(alg, pcr, events)) << "bank " << alg << " PCR " << pcr;
    EXPECT_EQ(*r.engine->pcrValue(alg, 19), Bytes(H(alg, {}).size(), 0));
  }
  // Reported digests: one per active bank, in the TPM's bank order.
  ASSERT_EQ(res.mleDigests.size(), banks.size());
  ASSERT_EQ(res.acmDigests.size(), banks.size());
  for (size_t i = 0; i < banks.size(); ++i) {
    EXPECT_EQ(res.mleDigests[i].alg, banks[i]);
    EXPECT_EQ(res.mleDigests[i].digest, H(banks[i], r.mle));
    EXPECT_EQ(res.acmDigests[i].digest, H(banks[i], acmDigestInput(r.acm, r.header)));
  }
  // Every command at locality 3 (GetCapability + one per extended event), none dropped.
  size_t extends = 0;
  for (const auto& e : events) extends += e.extended;
  EXPECT_EQ(r.dev->commandCount(3), 1 + extends);
  EXPECT_EQ(r.dev->commandCount(0), 0u);
  EXPECT_EQ(r.dev->droppedCount(), 0u);

  // The log: Spec ID header, then the events in order; it replays to the TPM's PCRs.
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 12), 0u);  // first_record_offset untouched
  auto bytes = r.logBytes();
  auto log = tpm::evlog::parseEventLog(bytes, tpm::evlog::LogFormat::kCryptoAgile, "txt log");
  EXPECT_EQ(log.banks(), banks);
  ASSERT_EQ(log.events.size(), 1 + events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& ev = log.events[1 + i];
    EXPECT_EQ(ev.pcrIndex, events[i].pcr) << i;
    EXPECT_EQ(ev.eventType, events[i].type) << i;
    for (uint16_t alg : banks) EXPECT_EQ(ev.digestFor(alg)->digest, H(alg, events[i].hashed)) << i;
  }
  auto replay = tpm::evlog::replayEventLog(log, tpm::evlog::initialPcrValues(banks, tpm::evlog::InitialPcrs::kAfterDynamicLaunch));
  tpm::evlog::PcrValues observed;
  for (uint16_t alg : banks)
    for (unsigned pcr : {17u, 18u}) observed[alg][pcr] = *r.engine->pcrValue(alg, pcr);
  auto diff = tpm::evlog::comparePcrs(replay, observed);
  EXPECT_TRUE(diff.empty()) << tpm::evlog::describeDisagreement(diff.front());
  for (uint16_t alg : banks) EXPECT_EQ(replay.values[alg][17], observed[alg][17]);
}

INSTANTIATE_TEST_SUITE_P(Interfaces, MeasurerTest,
                         ::testing::Combine(::testing::Values("tis", "crb"), ::testing::Values("dlsim", "libtpms"),
                                            ::testing::Values(MapBits::kDa, MapBits::kNoLegacy, MapBits::kNeither)),
                         [](const auto& info) {
                           const MapBits b = std::get<2>(info.param);
                           return std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param) +
                                  (b == MapBits::kDa ? "_da" : b == MapBits::kNoLegacy ? "_no_legacy" : "_caps_zero");
                         });

uint32_t acmError(uint32_t cls, uint32_t major, uint32_t minor) {
  return 0xC0000000u | (minor << 16) | (major << 10) | (cls << 4) | 1u;
}

TEST(Measurer, TpmErrorOnAnExtendIsANamedFailureWithTheTpmErrorCode) {
  Rig r("tis", "dlsim", 1u << 5);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  r.dev->failCommand(0x182, 0x101);  // the scenario's tpm.faults.fail_command: PCR_Extend -> TPM_RC_FAILURE
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.failure->step, "pcr17-extend 1 (BIOSAC_REG_DATA)");
  EXPECT_EQ(res.failure->errorCode, acmError(0x0D, 0x0A, 0x101));
  // Nothing logged for the refused extend: header + HASH_START only.
  auto log = tpm::evlog::parseEventLog(r.logBytes(), tpm::evlog::LogFormat::kCryptoAgile, "txt log");
  EXPECT_EQ(log.events.size(), 2u);
}

TEST(Measurer, ATpmThatStopsAnsweringMidwayIsANamedFailure) {
  Rig r("crb", "dlsim", 1u << 5);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  r.dev->stopAnsweringAfter(4);  // GetCapability + 3 extends answered (tpm.faults.stop_answering_after)
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.failure->step, "pcr17-extend 4 (STM_HASH)");
  EXPECT_NE(res.failure->detail.find("no response"), std::string::npos) << res.failure->detail;
  EXPECT_EQ(res.failure->errorCode, acmError(0x0D, 0x1E, 0));
}

TEST(Measurer, GetCapabilityFailureIsNamed) {
  Rig r("tis", "libtpms", 0);
  r.dev->failCommand(0x17A, 0x922);
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.failure->step, "get-capability-pcrs");
  EXPECT_EQ(res.failure->errorCode, acmError(0x0D, 0x0A, 0x922 & 0x1FF));
}

TEST(Measurer, ALogWithoutRoomIsANamedFailureAndNothingBeyondItIsExtended) {
  // Room for the header (SHA-1 + SHA-256: 32 + 4 + 24 + 2*4 + 1 = 69 bytes... whatever the banks) but not all events.
  Rig probe("tis", "dlsim", 1u << 5);
  size_t nBanks = probe.banks().size();
  // Header: 32 fixed + (16+4+4+4 + 4*n + 1) Spec ID bytes; HASH_START record: 8 + 4 + n*(2+d) + 4 + 36.
  size_t header = 32 + 29 + 4 * nBanks;
  Rig r("tis", "dlsim", 1u << 5, uint32_t(header + 10));
  ASSERT_EQ(r.acmStep(), std::nullopt);
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.failure->step, "pcr17-extend 0 (HASH_START)");
  EXPECT_NE(res.failure->detail.find("event log full"), std::string::npos);
  EXPECT_EQ(res.failure->errorCode, acmError(0x0D, 0x1F, 0));
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 16), uint32_t(header));
  EXPECT_EQ(r.dev->commandCount(3), 1u);  // GetCapability only
}

// Pre-launch code must release locality 0 before SENTER (spec §1); a TPM
// still owned there never grants locality 3 and the launch fails, named.
TEST(Measurer, ALocalityLeftActiveByTheGuestIsANamedFailure) {
  Rig r("tis", "dlsim", 1u << 5);
  r.bus.mmioWrite(AccessContext::fromCpu(0), 0xFED40000, 1, 0x02);  // ACCESS_0.requestUse
  ASSERT_EQ(r.dev->activeLocality(), 0);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.failure->step, "get-capability-pcrs");
  EXPECT_EQ(res.failure->detail, "locality 3 not granted");
  EXPECT_EQ(res.failure->errorCode, acmError(0x0D, 0x1E, 0));
  // The request was withdrawn: the owner sees no pending request.
  EXPECT_EQ(r.bus.mmioRead(AccessContext::fromCpu(0), 0xFED40000, 1) & 0x04, 0u);
}

TEST(Measurer, WithoutALogElementThePcrsAreStillExtended) {
  Rig r("tis", "dlsim", 0, 0, /*withLog=*/false);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_TRUE(res.ok());
  auto events = expectedEvents(r, 0);
  for (unsigned pcr : {17u, 18u}) EXPECT_EQ(*r.engine->pcrValue(0x000B, pcr), expectedPcr(0x000B, pcr, events));
  EXPECT_EQ(measure::readLaunchEventLog(r.mem, kHeapBase, r.heapSize), std::nullopt);
}

TEST(Measurer, MeasureAcmWithoutATpmIsNamed) {
  Bus bus;
  GuestMemory mem;
  auto m = makeTpmLaunchMeasurer(bus, mem);
  auto acm = buildSinitAcm(findTxtProfile("cfl-client-tpm2"));
  auto f = m->measureAcm({acm, parseAcmHeader(acm, "sinit"), 0});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->step, "hash-start");
}

// tpm2-tools' tpm2_eventlog reads the log the measurer wrote.
TEST(Measurer, Tpm2EventlogReadsTheLog) {
  if (std::system("command -v tpm2_eventlog >/dev/null 2>&1") != 0) GTEST_SKIP() << "tpm2_eventlog not installed";
  Rig r("tis", "dlsim", 1u << 5);
  EXPECT_EQ(measure::readLaunchEventLog(r.mem, kHeapBase, r.heapSize), std::nullopt);  // nothing logged yet
  ASSERT_EQ(r.acmStep(), std::nullopt);
  ASSERT_TRUE(r.measurer->measureLaunch(r.inputs()).ok());
  // What `dlsim run --event-log-out` writes (TxtObservation::eventLogBytes).
  auto bytes = r.logBytes();
  EXPECT_EQ(measure::readLaunchEventLog(r.mem, kHeapBase, r.heapSize), bytes);
  std::string path = testing::TempDir() + "txt_launch_log.bin", out = testing::TempDir() + "txt_launch_log.yaml";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  ASSERT_EQ(std::system(("tpm2_eventlog " + path + " > " + out + " 2>&1").c_str()), 0);
  std::ifstream in(out);
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(yaml.find("Spec ID Event03"), std::string::npos) << yaml;
  // 13 events after the header; the SHA-256 digest of the MLE_HASH event.
  EXPECT_NE(yaml.find("EventNum: 13"), std::string::npos);
  Bytes mleDigest = H(0x000B, r.mle);
  static const char* k = "0123456789abcdef";
  std::string hexd;
  for (uint8_t b : mleDigest) hexd += std::string{k[b >> 4], k[b & 15]};
  EXPECT_NE(yaml.find(hexd), std::string::npos);
}

// The legacy per-bank logs (EVENT_LOG_POINTER2, element 7), as a SINIT
// without the TCG log format writes them when the loader (tboot without caps
// bit 9) hands over empty logs: each bank's records are {u32 PCR, u32 type,
// that bank's digest, u32 size, data}; the SHA-256 log starts with a TPM 1.2
// TCG_PCR_EVENT (PCR 0, EV_NO_ACTION, 20 zero bytes) carrying the
// TCG_LOG_DESCRIPTOR {"FRMT ID EVENT00\0", revision 1, DigestAlgID 2, 32}.
// Expected bytes are built here from that layout and Botan digests.
Bytes legacyRecord(uint16_t alg, const Expected& e) {
  Bytes b = le32(e.pcr), t = le32(e.type), d = H(alg, e.hashed);
  // MLE_HASH and SINIT_PUBKEY_HASH log no data (docs/txt-measurements.md)
  Bytes data = e.type == 0x404 || e.type == 0x410 ? Bytes{} : e.hashed;
  b.insert(b.end(), t.begin(), t.end());
  b.insert(b.end(), d.begin(), d.end());
  Bytes n = le32(uint32_t(data.size()));
  b.insert(b.end(), n.begin(), n.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

TEST(Measurer, LegacyPerBankLogsHoldEachBanksDigestsAndReplayToThePcrs) {
  constexpr uint64_t kSha1Log = kLogBase, kSha256Log = kLogBase + 0x1000, kSm3Log = kLogBase + 0x2000;
  const std::vector<heap::EventLogDescriptor> descs = {
      {0x0004, 0, kSha1Log, 0x1000, 0, 0}, {0x000B, 0, kSha256Log, 0x1000, 0, 0}, {0x0012, 0, kSm3Log, 0x1000, 0, 0}};
  const uint32_t caps = (1u << 5) | (1u << 0);  // DA mapping, GETSEC wake-up, no TCG log format
  Rig r("tis", "dlsim", caps, 0, false, descs);
  auto banks = r.banks();
  ASSERT_TRUE(std::find(banks.begin(), banks.end(), 0x0004) != banks.end());
  ASSERT_TRUE(std::find(banks.begin(), banks.end(), 0x000B) != banks.end());
  ASSERT_TRUE(std::find(banks.begin(), banks.end(), 0x0012) == banks.end());  // no SM3 bank: its log untouched
  ASSERT_EQ(r.acmStep(), std::nullopt);
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_TRUE(res.ok()) << res.failure->step << ": " << res.failure->detail;

  auto events = expectedEvents(r, caps);
  for (uint16_t alg : banks)
    for (unsigned pcr : {17u, 18u})
      EXPECT_EQ(*r.engine->pcrValue(alg, pcr), expectedPcr(alg, pcr, events)) << "bank " << alg << " PCR " << pcr;

  Bytes sha1Log, sha256Log = le32(0);
  for (Bytes part : {le32(3), Bytes(20, 0), le32(28)}) sha256Log.insert(sha256Log.end(), part.begin(), part.end());
  const char sig[16] = "FRMT ID EVENT00";
  sha256Log.insert(sha256Log.end(), sig, sig + 16);
  for (Bytes part : {le32(1), le32(2), le32(32)}) sha256Log.insert(sha256Log.end(), part.begin(), part.end());
  ASSERT_EQ(sha256Log.size(), 60u);
  for (const auto& e : events) {
    Bytes a = legacyRecord(0x0004, e), b = legacyRecord(0x000B, e);
    sha1Log.insert(sha1Log.end(), a.begin(), a.end());
    sha256Log.insert(sha256Log.end(), b.begin(), b.end());
  }
  // Each descriptor's next_event_offset (body + 4 + 24 i + 20) moved on; pcr_events_offset stays 0.
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 4 + 20), uint32_t(sha1Log.size()));
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 4 + 24 + 20), uint32_t(sha256Log.size()));
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 4 + 48 + 20), 0u);
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 4 + 24 + 16), 0u);
  Bytes got1(sha1Log.size()), got256(sha256Log.size()), untouched(16);
  ASSERT_TRUE(r.mem.read(kSha1Log, got1.data(), got1.size()));
  ASSERT_TRUE(r.mem.read(kSha256Log, got256.data(), got256.size()));
  ASSERT_TRUE(r.mem.read(kSm3Log, untouched.data(), untouched.size()));
  EXPECT_EQ(got1, sha1Log);
  EXPECT_EQ(got256, sha256Log);
  EXPECT_EQ(untouched, Bytes(16, 0));

  // The SHA-1 log is a SHA-1 format TCG log: exported for `dlsim run
  // --event-log-out`, it replays to the TPM's SHA-1 PCRs 17 and 18.
  EXPECT_EQ(measure::readLaunchEventLog(r.mem, kHeapBase, r.heapSize), sha1Log);
  EXPECT_EQ(tpm::evlog::detectLogFormat(sha1Log), tpm::evlog::LogFormat::kSha1);
  auto log = tpm::evlog::parseEventLog(sha1Log, tpm::evlog::LogFormat::kSha1, "sha1 log");
  ASSERT_EQ(log.events.size(), events.size());
  auto replay = tpm::evlog::replayEventLog(log, tpm::evlog::initialPcrValues({0x0004}, tpm::evlog::InitialPcrs::kAfterDynamicLaunch));
  for (unsigned pcr : {17u, 18u}) EXPECT_EQ(replay.values[0x0004][pcr], *r.engine->pcrValue(0x0004, pcr)) << pcr;

  // The other banks' logs (`--event-log-out FILE` writes FILE.sha256): the
  // SHA-256 one with its header; the SM3 log SINIT left empty is not there.
  auto others = measure::readLegacyBankLogs(r.mem, kHeapBase, r.heapSize);
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0], (measure::LegacyBankLog{0x000B, "sha256", sha256Log}));
  auto log256 = tpm::evlog::parseLegacyBankLog(others[0].bytes, std::nullopt, "sha256 log");
  EXPECT_EQ(log256.legacyBank, 0x000B);
  ASSERT_EQ(log256.events.size(), events.size() + 1);  // the header record first
  auto replay256 =
      tpm::evlog::replayEventLog(log256, tpm::evlog::initialPcrValues({0x000B}, tpm::evlog::InitialPcrs::kAfterDynamicLaunch));
  for (unsigned pcr : {17u, 18u}) EXPECT_EQ(replay256.values[0x000B][pcr], *r.engine->pcrValue(0x000B, pcr)) << pcr;
}

TEST(Measurer, NoLegacyBankLogsBesideTheTcgLog) {
  // With EVENT_LOG_POINTER2_1, SINIT writes no legacy logs: none exported.
  Rig r("tis", "dlsim", 1u << 5);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  ASSERT_TRUE(r.measurer->measureLaunch(r.inputs()).ok());
  ASSERT_NE(measure::readLaunchEventLog(r.mem, kHeapBase, r.heapSize), std::nullopt);
  EXPECT_TRUE(measure::readLegacyBankLogs(r.mem, kHeapBase, r.heapSize).empty());
}

TEST(Measurer, AFullLegacyLogIsANamedFailureBeforeTheExtend) {
  // Room in the SHA-256 log for its 60-byte header and nothing else.
  const std::vector<heap::EventLogDescriptor> descs = {{0x0004, 0, kLogBase, 0x1000, 0, 0},
                                                       {0x000B, 0, kLogBase + 0x1000, 70, 0, 0}};
  Rig r("tis", "dlsim", (1u << 5) | 1u, 0, false, descs);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  auto res = r.measurer->measureLaunch(r.inputs());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.failure->step, "pcr17-extend 0 (HASH_START)");
  EXPECT_NE(res.failure->detail.find("bank 0xb full"), std::string::npos) << res.failure->detail;
  EXPECT_EQ(res.failure->errorCode, acmError(0x0D, 0x1F, 0));
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 4 + 20), 0u);       // nothing in the SHA-1 log either
  EXPECT_EQ(rdLe32(r.mem, r.logElementBody + 4 + 24 + 20), 60u);  // the header only
  EXPECT_EQ(r.dev->commandCount(3), 1u);                          // GetCapability only
}

std::string hexOf(const Bytes& b) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) s += std::string{k[x >> 4], k[x & 15]};
  return s;
}

// `dlsim eventlog FILE --replay` (default start: PCR 17-22 zero, as after
// Hash_End) prints the PCR 17 and 18 values computed here from the formulas.
TEST(Measurer, DlsimEventlogReplaysTheLogToTheFormulaPcrs) {
  const std::string dlsim = std::string(DLSIM_BINARY_DIR) + "/tools/dlsim";
  if (!std::ifstream(dlsim).good()) GTEST_SKIP() << dlsim << " not built";
  Rig r("crb", "libtpms", 1u << 5);
  ASSERT_EQ(r.acmStep(), std::nullopt);
  ASSERT_TRUE(r.measurer->measureLaunch(r.inputs()).ok());
  auto bytes = r.logBytes();
  std::string path = testing::TempDir() + "txt_launch_log_replay.bin", out = testing::TempDir() + "txt_launch_log_replay.txt";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  ASSERT_EQ(std::system((dlsim + " eventlog " + path + " --replay > " + out + " 2>&1").c_str()), 0);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto events = expectedEvents(r, 1u << 5);
  for (unsigned pcr : {17u, 18u}) EXPECT_NE(text.find(hexOf(expectedPcr(0x000B, pcr, events))), std::string::npos) << text;
}

}  // namespace
}  // namespace dlsim::txt
