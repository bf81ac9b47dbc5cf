// The TPM 1.2 TXT Event Container: a hand-assembled container parses, a built
// one matches the hand-assembled bytes, and bad offsets are InputErrors.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/txt12_event_container.h"
#include "tpm_model/tests/eventlog_test_bytes.h"

namespace dlsim::tpm::evlog {
namespace {

using testing::botanHash;
using testing::Bytes;
using testing::bytesOf;

Bytes handContainer(uint32_t size, uint32_t first, uint32_t next, const Bytes& events) {
  Bytes b;
  b.str("TXT Event Container").u8(0).zeros(12).u8(1).u8(0).u8(1).u8(0).u32(size).u32(first).u32(next).raw(events.b);
  b.zeros(size - b.size());
  return b;
}

TEST(EventLogTxt12, ParsesAndBuildsTheContainer) {
  auto d = botanHash("SHA-1", bytesOf("tboot policy"));
  Bytes events;
  events.u32(17).u32(0x501).raw(d).u32(12).str("tboot policy");
  Bytes c = handContainer(0x200, 48, 48 + static_cast<uint32_t>(events.size()), events);
  EventLog log = parseEventLogInput(c.b, InputFormat::kAuto, "c12");
  EXPECT_EQ(log.format, LogFormat::kSha1);
  ASSERT_EQ(log.events.size(), 1u);
  EXPECT_EQ(log.events[0].offset, 48u);
  EXPECT_EQ(log.events[0].digests[0].digest, d);
  EXPECT_EQ(buildTxt12Container(log, 0x200), c.b);
  EXPECT_THROW(buildTxt12Container(log, 80), InputError);
}

TEST(EventLogTxt12, BadOffsetsAreInputErrors) {
  Bytes events;
  events.u32(17).u32(0x501).zeros(20).u32(0);
  auto expectError = [](const Bytes& b, const std::string& field) {
    try {
      parseTxt12Container(b.b, "c12");
      FAIL() << field;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  expectError(handContainer(0x100, 48, 0x101, events), "nextEventOffset");
  expectError(handContainer(0x100, 8, 80, events), "pcrEventsOffset");
  expectError(handContainer(0x100, 60, 50, events), "pcrEventsOffset");
  Bytes big = handContainer(0x100, 48, 80, events);
  big.b[36] = 0xFF;
  big.b[37] = 0xFF;  // size 0xFFFF > bytes present
  expectError(big, "size");
  Bytes sig = handContainer(0x100, 48, 80, events);
  sig.b[0] = 'X';
  expectError(sig, "signature");
  expectError(handContainer(0x100, 48, 70, events), "truncated");  // record cut at nextEventOffset
}

}  // namespace
}  // namespace dlsim::tpm::evlog
