// The TXT heap EVENT_LOG_POINTER2_1 container: element parsing, the log read
// out of guest-physical bytes, appending like SINIT/the MLE within the
// allocated size (overflow reported, nothing written), and the dump form.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/txt_event_container.h"
#include "tpm_model/tests/eventlog_test_bytes.h"

namespace dlsim::tpm::evlog {
namespace {

using testing::botanHash;
using testing::Bytes;
using testing::bytesOf;
using testing::specIdHeader;

constexpr uint16_t kSha1 = 0x0004, kSha256 = 0x000B;

TEST(EventLogContainer, ParsesTheHeapElement) {
  Bytes b;
  b.u32(8).u32(28).u64(0x76F30176ull).u32(0x2000).u32(0x10).u32(0x80);
  EventLogPointer2_1 p = parseEventLogPointerElement(b.b, "heap");
  EXPECT_EQ(p.physAddr, 0x76F30176ull);
  EXPECT_EQ(p.allocatedSize, 0x2000u);
  EXPECT_EQ(p.firstRecordOffset, 0x10u);
  EXPECT_EQ(p.nextRecordOffset, 0x80u);
  EXPECT_EQ(encodeEventLogPointerElement(p), b.b);

  Bytes wrongType = b;
  wrongType.b[0] = 7;
  EXPECT_THROW(parseEventLogPointerElement(wrongType.b, "heap"), InputError);
  Bytes wrongSize = b;
  wrongSize.b[4] = 24;
  try {
    parseEventLogPointerElement(wrongSize.b, "heap", 0x1000);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("offset 0x1004"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("size"), std::string::npos);
  }
  std::vector<uint8_t> shortElt(b.b.begin(), b.b.begin() + 20);
  EXPECT_THROW(parseEventLogPointerElement(shortElt, "heap"), InputError);
}

// A guest memory window holding a container SINIT has filled, by hand.
TEST(EventLogContainer, ReadsTheLogFromGuestPhysicalBytes) {
  const uint64_t memBase = 0x100000, phys = 0x101000;
  const uint32_t alloc = 0x2000, first = 0;
  Bytes log = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  auto h1 = botanHash("SHA-1", bytesOf("acm")), h256 = botanHash("SHA-256", bytesOf("acm"));
  log.u32(17).u32(0x402).u32(2).u16(kSha1).raw(h1).u16(kSha256).raw(h256).u32(0);
  std::vector<uint8_t> memory(0x4000, 0);
  std::copy(log.b.begin(), log.b.end(), memory.begin() + (phys - memBase) + first);
  // A stale event past NextRecordOffset must not be read.
  memory[(phys - memBase) + log.size()] = 0x11;
  EventLogPointer2_1 p{phys, alloc, first, static_cast<uint32_t>(log.size())};
  EventLog parsed = parseTxtEventLog(p, memory, memBase, "guest");
  ASSERT_EQ(parsed.events.size(), 2u);
  EXPECT_EQ(parsed.events[1].offset, phys + 69);
  EXPECT_EQ(parsed.events[1].digestFor(kSha256)->digest, h256);

  EventLogPointer2_1 outside = p;
  outside.physAddr = memBase + 0x3000;  // allocated range runs past the window
  EXPECT_THROW(parseTxtEventLog(outside, memory, memBase, "guest"), InputError);
  EventLogPointer2_1 below = p;
  below.physAddr = memBase - 0x10;
  EXPECT_THROW(parseTxtEventLog(below, memory, memBase, "guest"), InputError);
  EventLogPointer2_1 nextBeyond = p;
  nextBeyond.nextRecordOffset = alloc + 1;
  EXPECT_THROW(parseTxtEventLog(nextBeyond, memory, memBase, "guest"), InputError);
  EventLogPointer2_1 firstBeyond = p;
  firstBeyond.firstRecordOffset = p.nextRecordOffset + 4;
  EXPECT_THROW(parseTxtEventLog(firstBeyond, memory, memBase, "guest"), InputError);
  EventLogPointer2_1 empty{phys, alloc, 0, 0};
  EXPECT_THROW(parseTxtEventLog(empty, memory, memBase, "guest"), InputError);
  EventLogPointer2_1 huge{~0ull - 4, alloc, 0, 8};
  EXPECT_THROW(parseTxtEventLog(huge, memory, memBase, "guest"), InputError);
}

TEST(EventLogContainer, AppendsLikeLaunchCode) {
  EventLogPointer2_1 p{0x2000000, 0x400, 0, 0};  // tboot leaves first = next = 0
  std::vector<uint8_t> container(p.allocatedSize, 0);
  SpecIdEvent spec;
  spec.algorithms = {{kSha1, 20}, {kSha256, 32}};
  AppendResult h = writeTxtSpecIdHeader(p, container, spec, "c");
  ASSERT_TRUE(h.ok);
  EXPECT_EQ(p.nextRecordOffset, 69u);
  Bytes expect = specIdHeader({{kSha1, 20}, {kSha256, 32}});
  EXPECT_TRUE(std::equal(expect.b.begin(), expect.b.end(), container.begin()));

  LogEvent e;
  e.pcrIndex = 17;
  e.eventType = 0x502;
  e.digests = {{kSha1, botanHash("SHA-1", bytesOf("cmdline"))}, {kSha256, botanHash("SHA-256", bytesOf("cmdline"))}};
  e.data = bytesOf("cmdline");
  AppendResult a = appendTxtEvent(p, container, e, "c");
  ASSERT_TRUE(a.ok);
  Bytes rec;
  rec.u32(17).u32(0x502).u32(2).u16(kSha1).raw(e.digests[0].digest).u16(kSha256).raw(e.digests[1].digest).u32(7).str("cmdline");
  EXPECT_EQ(a.recordSize, rec.size());
  EXPECT_EQ(p.nextRecordOffset, 69u + rec.size());
  EXPECT_TRUE(std::equal(rec.b.begin(), rec.b.end(), container.begin() + 69));

  // Fill until the allocation runs out: the failing append writes nothing.
  size_t appended = 1;
  for (;;) {
    auto before = container;
    uint32_t next = p.nextRecordOffset;
    AppendResult r = appendTxtEvent(p, container, e, "c");
    if (!r.ok) {
      EXPECT_EQ(r.available, p.allocatedSize - next);
      EXPECT_LT(r.available, r.recordSize);
      EXPECT_EQ(p.nextRecordOffset, next);
      EXPECT_EQ(container, before);
      break;
    }
    ++appended;
  }
  EXPECT_EQ(appended, (0x400u - 69u) / rec.size());
  EventLog parsed = parseTxtEventLog(p, container, p.physAddr, "c");
  EXPECT_EQ(parsed.events.size(), 1 + appended);

  // Digests that do not fit the header, a second header, an inconsistent pointer.
  LogEvent wrong = e;
  wrong.digests = {{0x000C, std::vector<uint8_t>(48)}};
  EXPECT_THROW(appendTxtEvent(p, container, wrong, "c"), InputError);
  EXPECT_THROW(writeTxtSpecIdHeader(p, container, spec, "c"), InputError);
  EventLogPointer2_1 bad = p;
  bad.nextRecordOffset = 0x401;
  EXPECT_THROW(appendTxtEvent(bad, container, e, "c"), InputError);
  std::vector<uint8_t> shortBuf(16);
  EXPECT_THROW(appendTxtEvent(p, shortBuf, e, "c"), InputError);
  EventLogPointer2_1 fresh{0, 0x40, 0, 0};
  std::vector<uint8_t> tiny(0x40);
  EXPECT_FALSE(writeTxtSpecIdHeader(fresh, tiny, spec, "c").ok);  // 69-byte header in 64 bytes
  EXPECT_EQ(fresh.nextRecordOffset, 0u);
  EXPECT_THROW(appendTxtEvent(fresh, tiny, e, "c"), InputError);  // no header yet
}

TEST(EventLogContainer, DumpFileRoundTrip) {
  EventLogPointer2_1 p{0x7000000, 0x200, 0, 0};
  std::vector<uint8_t> container(p.allocatedSize, 0);
  SpecIdEvent spec;
  spec.algorithms = {{kSha256, 32}};
  ASSERT_TRUE(writeTxtSpecIdHeader(p, container, spec, "c").ok);
  LogEvent e;
  e.pcrIndex = 18;
  e.eventType = 0x502;
  e.digests = {{kSha256, botanHash("SHA-256", bytesOf("x"))}};
  e.data = bytesOf("x");
  ASSERT_TRUE(appendTxtEvent(p, container, e, "c").ok);
  auto dump = encodeTxtContainerDump(p, container);
  ASSERT_EQ(dump.size(), 28u + 0x200);
  EXPECT_TRUE(looksLikeTxtContainerDump(dump));
  EventLog log = parseEventLogInput(dump, InputFormat::kAuto, "dump.bin");
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[1], e);
  EXPECT_EQ(log.events[1].offset, 0x7000000u + 32 + 33);
  std::vector<uint8_t> cut(dump.begin(), dump.end() - 1);
  try {
    parseEventLogInput(cut, InputFormat::kTxtContainer, "dump.bin");
    FAIL();
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("dump.bin"), std::string::npos);
    EXPECT_NE(std::string(err.what()).find("AllocatedEventContainerSize"), std::string::npos);
  }
}

}  // namespace
}  // namespace dlsim::tpm::evlog
