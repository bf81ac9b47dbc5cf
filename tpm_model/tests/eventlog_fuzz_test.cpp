// Randomized robustness: 10,000 mutations (fixed seed) of valid logs and of a
// TXT container dump and a TPM 1.2 container; parsing must succeed or throw InputError, never crash
// or throw anything else (run under -fsanitize=address,undefined too).
#include <gtest/gtest.h>

#include <random>

#include "sim/errors.h"
#include "tpm_model/eventlog/event_log.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/event_log_render.h"
#include "tpm_model/eventlog/pcr_replay.h"
#include "tpm_model/eventlog/txt12_event_container.h"
#include "tpm_model/eventlog/txt_event_container.h"

namespace dlsim::tpm::evlog {
namespace {

std::vector<uint8_t> mutate(std::vector<uint8_t> b, std::mt19937& rng) {
  std::uniform_int_distribution<int> kind(0, 5);
  auto pos = [&] { return b.empty() ? 0 : std::uniform_int_distribution<size_t>(0, b.size() - 1)(rng); };
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < rounds && !b.empty(); ++i) {
    switch (kind(rng)) {
      case 0:  // flip a bit
        b[pos()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
      case 1:  // random byte
        b[pos()] = static_cast<uint8_t>(rng());
        break;
      case 2:  // truncate
        b.resize(pos());
        break;
      case 3: {  // a boundary u32 somewhere (sizes, counts)
        static const uint32_t vals[] = {0, 1, 2, 3, 0x7F, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0};
        size_t p = pos();
        uint32_t v = vals[rng() % (sizeof vals / sizeof vals[0])];
        for (size_t k = 0; k < 4 && p + k < b.size(); ++k) b[p + k] = static_cast<uint8_t>(v >> (8 * k));
        break;
      }
      case 4: {  // insert bytes
        size_t p = pos();
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(p), 1 + rng() % 8, static_cast<uint8_t>(rng()));
        break;
      }
      default: {  // duplicate a slice
        size_t p = pos(), n = std::min<size_t>(b.size() - p, 1 + rng() % 64);
        std::vector<uint8_t> slice(b.begin() + static_cast<std::ptrdiff_t>(p), b.begin() + static_cast<std::ptrdiff_t>(p + n));
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos()), slice.begin(), slice.end());
        break;
      }
    }
  }
  return b;
}

// Parse, then exercise what a caller does with the result.
void consume(std::span<const uint8_t> bytes, InputFormat format) {
  EventLog log = parseEventLogInput(bytes, format, "fuzz");
  (void)renderEventLogText(log);
  (void)renderEventLogJson(log);
  ReplayResult r = replayEventLog(log, initialPcrValues(log.banks(), InitialPcrs::kAfterDynamicLaunch));
  (void)comparePcrs(r, initialPcrValues(log.banks(), InitialPcrs::kAfterStartup));
  (void)serializeEventLog(log);
}

TEST(EventLogFuzz, MutatedLogsParseOrThrowInputError) {
  EventLog agile = makeCryptoAgileLog({0x0004, 0x000B, 0x000C}, {9, 8, 7});
  EventLog sha1 = makeSha1Log();
  for (uint32_t i = 0; i < 8; ++i) {
    appendMeasured(agile, 17 + i % 3, 0x402 + i, std::vector<uint8_t>(i * 5, static_cast<uint8_t>('a' + i)));
    appendMeasured(sha1, 17 + i % 3, 0x501, std::vector<uint8_t>(i * 3, static_cast<uint8_t>(i)));
  }
  EventLogPointer2_1 ptr{0x1000000, 0x600, 0, 0};
  std::vector<uint8_t> container(ptr.allocatedSize);
  ASSERT_TRUE(writeTxtSpecIdHeader(ptr, container, agile.specId, "c").ok);
  for (size_t i = 1; i < 5; ++i) ASSERT_TRUE(appendTxtEvent(ptr, container, agile.events[i], "c").ok);
  const std::vector<std::vector<uint8_t>> seeds = {serializeEventLog(agile), serializeEventLog(sha1),
                                                  encodeTxtContainerDump(ptr, container),
                                                  buildTxt12Container(sha1, 0x400)};
  const InputFormat formats[] = {InputFormat::kAuto, InputFormat::kTcg2, InputFormat::kSha1, InputFormat::kTxtContainer,
                                 InputFormat::kTxt12Container};
  for (const auto& s : seeds) consume(s, InputFormat::kAuto);  // the seeds are valid

  std::mt19937 rng(20240611);
  size_t parsed = 0, rejected = 0;
  for (int i = 0; i < 10000; ++i) {
    const auto& seed = seeds[static_cast<size_t>(i) % seeds.size()];
    auto bytes = mutate(seed, rng);
    InputFormat f = formats[rng() % 5];
    try {
      consume(bytes, f);
      ++parsed;
    } catch (const InputError&) {
      ++rejected;
    }
  }
  // Both outcomes must occur, or the mutations are not exercising anything.
  EXPECT_GT(parsed, 100u);
  EXPECT_GT(rejected, 100u);
}

}  // namespace
}  // namespace dlsim::tpm::evlog
