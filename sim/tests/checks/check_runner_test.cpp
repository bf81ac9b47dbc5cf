// Each check kind passes on a matching observation and fails on a different
// one, with stable names and readable expected / actual values.
#include "sim/checks/check_runner.h"

#include <gtest/gtest.h>

#include <botan/hash.h>
#include <botan/hex.h>

#include "sim/tests/checks/observation_fixture.h"

namespace dlsim {
namespace {

using nlohmann::json;

class CheckRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ram = std::make_shared<testing::FakeRam>();
    std::vector<uint8_t> low(0x2000);
    for (size_t i = 0; i < low.size(); ++i) low[i] = uint8_t(i * 7 + 3);
    ram->regions[0] = low;
    ram->regions[0x100000] = {'a', 'b', 'c'};
    obs = testing::makeObservation(ram);
  }
  std::vector<CheckResult> run(const std::string& expectJson) {
    return evaluate(parseExpectations(json::parse(expectJson), "t.json"), obs);
  }
  CheckResult only(const std::vector<CheckResult>& v) {
    EXPECT_EQ(v.size(), 1u);
    return v.at(0);
  }
  std::shared_ptr<testing::FakeRam> ram;
  Observation obs;
};

TEST_F(CheckRunnerTest, NoExpectationsNoChecks) { EXPECT_TRUE(evaluate(Expectations{}, obs).empty()); }

TEST_F(CheckRunnerTest, StopChecks) {
  auto ok = run(R"({"stop": {"reason": "all-cpus-halted", "cpu": 0, "address": "0x7c20"}})");
  ASSERT_EQ(ok.size(), 3u);
  EXPECT_EQ(ok[0].name, "stop.reason");
  EXPECT_EQ(ok[1].name, "stop.cpu");
  EXPECT_EQ(ok[2].name, "stop.address");
  for (const auto& c : ok) EXPECT_TRUE(c.ok) << c.name;
  EXPECT_EQ(ok[2].expected, "0x7c20");
  EXPECT_EQ(ok[2].actual, "0x7c20");

  auto bad = run(R"({"stop": {"reason": "triple-fault", "cpu": 1, "address": "0x7c21"}})");
  for (const auto& c : bad) EXPECT_FALSE(c.ok) << c.name;
  EXPECT_EQ(bad[0].expected, "triple-fault");
  EXPECT_EQ(bad[0].actual, "all-cpus-halted");
  EXPECT_EQ(bad[1].actual, 0);

  obs.stop.cpu = -1;
  EXPECT_EQ(only(run(R"({"stop": {"cpu": 0}})")).actual, "none");
}

TEST_F(CheckRunnerTest, CpuStateModeAndRegisters) {
  auto ok = run(R"({"cpus": [{"id": 0, "state": "halted", "mode": "long",
                              "registers": {"rax": "0xffffffff12345678", "cr0": "0x80000011"}},
                             {"id": 1, "state": "wait-for-sipi", "registers": {"rip": "0xfff0"}}]})");
  std::vector<std::string> names;
  for (const auto& c : ok) {
    names.push_back(c.name);
    EXPECT_TRUE(c.ok) << c.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"cpu0.state", "cpu0.mode", "cpu0.cr0", "cpu0.rax", "cpu1.state",
                                             "cpu1.rip"}));
  auto bad = run(R"({"cpus": [{"id": 0, "state": "running", "mode": "real", "registers": {"rax": "0x1234"}}]})");
  ASSERT_EQ(bad.size(), 3u);
  for (const auto& c : bad) EXPECT_FALSE(c.ok) << c.name;
  EXPECT_EQ(bad[0].actual, "halted");
  EXPECT_EQ(bad[1].actual, "long");
  EXPECT_EQ(bad[2].expected, "0x1234");
  EXPECT_EQ(bad[2].actual, "0xffffffff12345678");
}

TEST_F(CheckRunnerTest, NarrowRegisterComparesLow32Bits) {
  const CheckResult& ok = only(run(R"({"cpus": [{"id": 0, "registers": {"eax": "0x12345678"}}]})"));
  EXPECT_EQ(ok.name, "cpu0.eax");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.actual, "0x12345678");
  const CheckResult& bad = only(run(R"({"cpus": [{"id": 0, "registers": {"eip": "0x7c21"}}]})"));
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.actual, "0x7c20");
  EXPECT_TRUE(only(run(R"({"cpus": [{"id": 0, "registers": {"eflags": 582}}]})")).ok);  // 0x246
}

TEST_F(CheckRunnerTest, MissingCpuAndUnrecordedRegisterFail) {
  auto v = run(R"({"cpus": [{"id": 5, "state": "halted", "registers": {"rax": 0}}]})");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].name, "cpu5.state");
  EXPECT_EQ(v[1].name, "cpu5.rax");
  for (const auto& c : v) {
    EXPECT_FALSE(c.ok);
    EXPECT_EQ(c.actual, "no such cpu");
  }
  const CheckResult& r = only(run(R"({"cpus": [{"id": 1, "registers": {"cr3": 0}}]})"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.actual, "not recorded");
}

TEST_F(CheckRunnerTest, MemoryBytes) {
  // low[i] = i*7+3: bytes at 0x10..0x13 are 0x73 0x7a 0x81 0x88.
  const CheckResult& ok = only(run(R"({"memory": [{"address": "0x10", "bytes": "737a8188"}]})"));
  EXPECT_EQ(ok.name, "memory@0x10[4]");
  EXPECT_TRUE(ok.ok);
  const CheckResult& bad = only(run(R"({"memory": [{"address": "0x10", "bytes": "737a8189"}]})"));
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.expected, "737a8189");
  EXPECT_EQ(bad.actual, "737a8188");
  // Straddling the end of RAM, or in a hole.
  const CheckResult& edge = only(run(R"({"memory": [{"address": "0x1fff", "bytes": "0000"}]})"));
  EXPECT_FALSE(edge.ok);
  EXPECT_EQ(edge.actual, "not RAM");
  EXPECT_EQ(only(run(R"({"memory": [{"address": "0x50000", "bytes": "00"}]})")).actual, "not RAM");
  obs.readMemory = nullptr;
  EXPECT_EQ(only(run(R"({"memory": [{"address": "0x10", "bytes": "73"}]})")).actual, "not RAM");
}

TEST_F(CheckRunnerTest, MemorySha256OfPublishedVector) {
  // FIPS 180-2 example: SHA-256("abc").
  const char* abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const CheckResult& ok = only(run(std::string(R"({"memory": [{"address": "0x100000", "size": 3, "sha256": ")") +
                                   abc + "\"}]}"));
  EXPECT_EQ(ok.name, "memory@0x100000+0x3.sha256");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.actual, abc);
  const CheckResult& bad = only(run(std::string(R"({"memory": [{"address": "0x100000", "size": 2, "sha256": ")") +
                                    abc + "\"}]}"));
  EXPECT_FALSE(bad.ok);
  const CheckResult& hole = only(run(std::string(R"({"memory": [{"address": "0x100000", "size": 4, "sha256": ")") +
                                     abc + "\"}]}"));
  EXPECT_FALSE(hole.ok);
  EXPECT_EQ(hole.actual, "not RAM");
}

TEST_F(CheckRunnerTest, MemorySha256OverRangeLargerThanOneChunk) {
  // 0x30000 bytes: more than the runner's 64 KiB read chunk.
  std::vector<uint8_t> big(0x30000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = uint8_t((i * 31) ^ (i >> 8));
  ram->regions[0x200000] = big;
  auto h = Botan::HashFunction::create("SHA-256");
  h->update(big.data() + 0x10, big.size() - 0x20);
  std::string want = Botan::hex_encode(h->final(), false);
  const CheckResult& ok = only(run(R"({"memory": [{"address": "0x200010", "size": "0x2ffe0", "sha256": ")" +
                                   want + "\"}]}"));
  EXPECT_TRUE(ok.ok) << ok.actual;
  EXPECT_EQ(ok.name, "memory@0x200010+0x2ffe0.sha256");
}

TEST_F(CheckRunnerTest, SerialContainsAndMatches) {
  auto v = run(R"({"serial": {"contains": ["Hello", "Goodbye"], "matches": ["^boot ok$", "^ok$", "w.rld"]}})");
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0].name, "serial.com1 contains \"Hello\"");
  EXPECT_TRUE(v[0].ok);
  EXPECT_EQ(v[0].actual, "found at offset 8");
  EXPECT_EQ(v[1].name, "serial.com1 contains \"Goodbye\"");
  EXPECT_FALSE(v[1].ok);
  EXPECT_EQ(v[2].name, "serial.com1 matches \"^boot ok$\"");
  EXPECT_TRUE(v[2].ok);  // multiline: ^ and $ at line boundaries
  EXPECT_FALSE(v[3].ok);
  EXPECT_TRUE(v[4].ok);
  EXPECT_EQ(v[4].actual, "matched \"world\" at offset 15");
  // A port with no output at all fails rather than erroring.
  const CheckResult& c2 = only(run(R"({"serial": {"port": "com2", "contains": ["x"]}})"));
  EXPECT_EQ(c2.name, "serial.com2 contains \"x\"");
  EXPECT_FALSE(c2.ok);
}

TEST_F(CheckRunnerTest, MatchesIsLineByLine) {
  obs.serial["com1"] = "first\r\nsecond line\nthird";
  auto v = run(R"({"serial": {"matches": ["^second line$", "first$", "^third$", "t[\\s\\S]*s", "^$"]}})");
  ASSERT_EQ(v.size(), 5u);
  EXPECT_TRUE(v[0].ok);
  EXPECT_EQ(v[0].actual, "matched \"second line\" at offset 7");
  EXPECT_TRUE(v[1].ok);   // the '\r' of "\r\n" is not part of the line
  EXPECT_TRUE(v[2].ok);   // last line without a newline
  EXPECT_FALSE(v[3].ok);  // "first ... second" would cross a line end
  EXPECT_FALSE(v[4].ok);  // no empty line
}

TEST_F(CheckRunnerTest, MatchesSurvivesHugeLinesWithoutNewlines) {
  // 1 MiB without a newline: a backtracking matcher (std::regex) recurses once
  // per character matched and would overflow the stack on "^(a|b)*$".
  std::string huge(1 << 20, 'a');
  huge.replace(300000, 6, "MARKER");
  huge.replace(40960, 5, "BOUND");  // 20 * 2048: the start of a search window
  obs.serial["com1"] = huge;
  auto v = run(R"j({"serial": {"matches": ["^(a|b)*$", "MARK(ER)", "^aaa", "^MARKER", "^BOUND", "aBOUNDa"]}})j");
  ASSERT_EQ(v.size(), 6u);
  EXPECT_FALSE(v[0].ok);
  EXPECT_TRUE(v[1].ok);
  EXPECT_EQ(v[1].actual, "matched \"MARKER\" at offset 300000");
  EXPECT_TRUE(v[2].ok);
  EXPECT_FALSE(v[3].ok);
  EXPECT_FALSE(v[4].ok);  // a window start inside a line is not a line start
  EXPECT_TRUE(v[5].ok);   // a match across a window start is still found
}

TEST_F(CheckRunnerTest, MatchesTakesLinearTimeOnPathologicalPatterns) {
  // "(a*)*b" on a long run of 'a' takes exponential time in a backtracking
  // matcher; RE2 answers at once. A whole 64 KiB line matches "^a{1,}$".
  obs.serial["com1"] = std::string(1 << 16, 'a') + "\n" + std::string(40, 'a');
  auto v = run(R"j({"serial": {"matches": ["(a*)*b", "^a+$", "^(a|aa)*c"]}})j");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_FALSE(v[0].ok);
  EXPECT_TRUE(v[1].ok);
  EXPECT_EQ(v[1].actual, "matched \"" + std::string(77, 'a') + "...\" at offset 0");
  EXPECT_FALSE(v[2].ok);
}

TEST_F(CheckRunnerTest, NamesEscapeControlCharacters) {
  const CheckResult& c = only(run(R"({"serial": {"contains": ["a\"\n"]}})"));
  EXPECT_EQ(c.name, "serial.com1 contains \"a\\\"\\n\"");
}

TEST_F(CheckRunnerTest, VgaContains) {
  auto v = run(R"({"vga": {"contains": ["OK", "FAIL"]}})");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].name, "vga contains \"OK\"");
  EXPECT_TRUE(v[0].ok);
  EXPECT_FALSE(v[1].ok);
}

TEST_F(CheckRunnerTest, InstructionBounds) {
  auto ok = run(R"({"instructions": {"min": 1234, "max": 1234}})");
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[0].name, "instructions.min");
  EXPECT_EQ(ok[1].name, "instructions.max");
  EXPECT_TRUE(ok[0].ok);
  EXPECT_TRUE(ok[1].ok);
  EXPECT_EQ(ok[1].actual, 1234);
  EXPECT_FALSE(only(run(R"({"instructions": {"min": 1235}})")).ok);
  EXPECT_FALSE(only(run(R"({"instructions": {"max": 1233}})")).ok);
}

}  // namespace
}  // namespace dlsim
