// Parsing of the `expect` section: accepted forms and strict rejections with
// the exact JSON pointer of the bad value.
#include "sim/checks/expectations.h"

#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/observation.h"

namespace dlsim {
namespace {

using nlohmann::json;

Expectations parse(const std::string& text) { return parseExpectations(json::parse(text), "a.json"); }

// Parsing `text` must fail with a message that starts "a.json: <pointer>: "
// and mentions `fragment`.
void expectError(const std::string& text, const std::string& pointer, const std::string& fragment) {
  try {
    parse(text);
    ADD_FAILURE() << "no error for " << text;
  } catch (const InputError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("a.json: " + pointer + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
  }
}

TEST(Expectations, NullMeansNothingExpected) {
  Expectations e = parseExpectations(json(nullptr), "a.json");
  EXPECT_TRUE(e.stop.empty());
  EXPECT_TRUE(e.cpus.empty());
  EXPECT_TRUE(e.memory.empty());
  EXPECT_FALSE(e.serial);
  EXPECT_FALSE(e.vga);
  EXPECT_FALSE(e.instructions.min);
  EXPECT_FALSE(e.instructions.max);
}

TEST(Expectations, ParsesEveryKind) {
  Expectations e = parse(R"({
    "stop": {"reason": "all-cpus-halted", "cpu": 0, "address": "0x7c20"},
    "cpus": [{"id": 1, "state": "wait-for-sipi", "mode": "long",
              "registers": {"rax": "0x1234", "eax": 5, "cr0": "2147483665"}}],
    "memory": [{"address": "0x1000", "bytes": "DeadBeef"},
               {"address": 4096, "size": "0x100", "sha256": "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"}],
    "serial": {"port": "com2", "contains": ["Hello"], "matches": ["^boot ok$"]},
    "vga": {"contains": ["OK"]},
    "instructions": {"min": 10, "max": "0x100000"}
  })");
  EXPECT_EQ(*e.stop.reason, "all-cpus-halted");
  EXPECT_EQ(*e.stop.cpu, 0);
  EXPECT_EQ(*e.stop.address, 0x7c20u);
  ASSERT_EQ(e.cpus.size(), 1u);
  EXPECT_EQ(e.cpus[0].id, 1);
  EXPECT_EQ(*e.cpus[0].state, "wait-for-sipi");
  EXPECT_EQ(*e.cpus[0].mode, "long");
  EXPECT_EQ(e.cpus[0].registers.at("rax"), 0x1234u);
  EXPECT_EQ(e.cpus[0].registers.at("eax"), 5u);
  EXPECT_EQ(e.cpus[0].registers.at("cr0"), 0x80000011u);
  ASSERT_EQ(e.memory.size(), 2u);
  EXPECT_FALSE(e.memory[0].isHash());
  EXPECT_EQ(e.memory[0].bytes, (std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef}));
  EXPECT_TRUE(e.memory[1].isHash());
  EXPECT_EQ(e.memory[1].address, 0x1000u);
  EXPECT_EQ(e.memory[1].size, 0x100u);
  EXPECT_EQ(e.memory[1].sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ASSERT_TRUE(e.serial);
  EXPECT_EQ(e.serial->port, "com2");
  EXPECT_EQ(e.serial->contains, std::vector<std::string>{"Hello"});
  EXPECT_EQ(e.serial->matches, std::vector<std::string>{"^boot ok$"});
  ASSERT_TRUE(e.vga);
  EXPECT_EQ(e.vga->contains, std::vector<std::string>{"OK"});
  EXPECT_EQ(*e.instructions.min, 10u);
  EXPECT_EQ(*e.instructions.max, 0x100000u);
}

// A model's sleep names are accepted by their form (sim/observation.h), so
// a scenario can expect "senter-sleep" without the core knowing TXT.
TEST(Expectations, CpuStatesAcceptModelSleepNames) {
  Expectations e = parse(R"({"cpus": [{"id": 1, "state": "senter-sleep"}, {"id": 2, "state": "skinit2-sleep"}]})");
  EXPECT_EQ(*e.cpus[0].state, "senter-sleep");
  EXPECT_EQ(*e.cpus[1].state, "skinit2-sleep");
  expectError(R"({"cpus": [{"id": 1, "state": "senter"}]})", "/expect/cpus/0/state", "is not one of");
  expectError(R"({"cpus": [{"id": 1, "state": "Senter-sleep"}]})", "/expect/cpus/0/state", "is not one of");
  expectError(R"({"cpus": [{"id": 1, "state": "-sleep"}]})", "/expect/cpus/0/state", "is not one of");
  EXPECT_TRUE(isModelSleepName(std::string(26, 'a') + "-sleep"));
  EXPECT_FALSE(isModelSleepName(std::string(27, 'a') + "-sleep"));
  EXPECT_FALSE(isModelSleepName("senter_sleep"));
}

TEST(Expectations, SerialPortDefaultsToCom1) {
  EXPECT_EQ(parse(R"({"serial": {"contains": ["x"]}})").serial->port, "com1");
}

TEST(Expectations, RejectsUnknownKeysWithTheirPointer) {
  expectError(R"({"result": "pass"})", "/expect/result", "unknown key");
  expectError(R"({"stop": {"reson": "triple-fault"}})", "/expect/stop/reson", "unknown key");
  expectError(R"({"cpus": [{"id": 0}, {"id": 1, "stat": "halted"}]})", "/expect/cpus/1/stat", "unknown key");
  expectError(R"({"memory": [{"address": 0, "bytes": "00", "extra": 1}]})", "/expect/memory/0/extra",
              "unknown key");
  expectError(R"({"vga": {"matches": ["x"]}})", "/expect/vga/matches", "unknown key");
  // RFC 6901 escaping of '/' and '~' in a key.
  expectError(R"({"instructions": {"a/b~c": 1}})", "/expect/instructions/a~1b~0c", "unknown key");
}

TEST(Expectations, RejectsBadRegisterValuesAndNames) {
  expectError(R"({"cpus": [{"id": 0}, {"id": 1, "registers": {"rax": true}}]})", "/expect/cpus/1/registers/rax",
              "true");
  expectError(R"({"cpus": [{"id": 0, "registers": {"rax": -1}}]})", "/expect/cpus/0/registers/rax", "-1");
  expectError(R"({"cpus": [{"id": 0, "registers": {"rax": "0x1g"}}]})", "/expect/cpus/0/registers/rax", "0x1g");
  expectError(R"({"cpus": [{"id": 0, "registers": {"rax": "0x10000000000000000"}}]})",
              "/expect/cpus/0/registers/rax", "0x10000000000000000");
  expectError(R"({"cpus": [{"id": 0, "registers": {"xmm0": 1}}]})", "/expect/cpus/0/registers/xmm0",
              "unknown register");
  expectError(R"({"cpus": [{"id": 0, "registers": {"RAX": 1}}]})", "/expect/cpus/0/registers/RAX",
              "unknown register");
  // A 32-bit name cannot hold a 33-bit value.
  expectError(R"({"cpus": [{"id": 0, "registers": {"eax": "0x100000000"}}]})", "/expect/cpus/0/registers/eax",
              "0x100000000");
}

TEST(Expectations, RejectsBadVocabulary) {
  expectError(R"({"stop": {"reason": "halted"}})", "/expect/stop/reason", "all-cpus-halted");
  expectError(R"({"cpus": [{"id": 0, "state": "sleeping"}]})", "/expect/cpus/0/state", "sleeping");
  expectError(R"({"cpus": [{"id": 0, "mode": "virtual8086"}]})", "/expect/cpus/0/mode", "virtual8086");
  expectError(R"({"serial": {"port": "com3"}})", "/expect/serial/port", "com3");
}

TEST(Expectations, RejectsBadCpuEntries) {
  expectError(R"({"cpus": [{"state": "halted"}]})", "/expect/cpus/0", "id");
  expectError(R"({"cpus": [{"id": 64}]})", "/expect/cpus/0/id", "64");
  expectError(R"({"cpus": [{"id": "0"}]})", "/expect/cpus/0/id", "\"0\"");
  expectError(R"({"cpus": [{"id": 2}, {"id": 2}]})", "/expect/cpus/1/id", "twice");
  expectError(R"({"cpus": {"id": 0}})", "/expect/cpus", "array");
  expectError(R"({"stop": {"cpu": -1}})", "/expect/stop/cpu", "-1");
}

TEST(Expectations, RejectsBadMemoryEntries) {
  expectError(R"({"memory": [{"bytes": "00"}]})", "/expect/memory/0", "address");
  expectError(R"({"memory": [{"address": 0}]})", "/expect/memory/0", "either");
  expectError(R"({"memory": [{"address": 0, "bytes": "00", "size": 1}]})", "/expect/memory/0", "either");
  expectError(R"({"memory": [{"address": 0, "bytes": "abc"}]})", "/expect/memory/0/bytes", "abc");
  expectError(R"({"memory": [{"address": 0, "bytes": "zz"}]})", "/expect/memory/0/bytes", "zz");
  expectError(R"({"memory": [{"address": 0, "bytes": ""}]})", "/expect/memory/0/bytes", "hex");
  std::string tooLong(2 * 4097, 'a');
  expectError(R"({"memory": [{"address": 0, "bytes": ")" + tooLong + "\"}]}", "/expect/memory/0/bytes", "4096");
  expectError(R"({"memory": [{"address": 0, "size": 1}]})", "/expect/memory/0", "sha256");
  expectError(R"({"memory": [{"address": 0, "size": 0, "sha256": ")" + std::string(64, '0') + "\"}]}",
              "/expect/memory/0/size", "0");
  expectError(R"({"memory": [{"address": 0, "size": 1, "sha256": "abc"}]})", "/expect/memory/0/sha256", "64");
  expectError(R"({"memory": [{"address": "0xffffffffffffffff", "bytes": "0000"}]})", "/expect/memory/0",
              "end of the address space");
}

TEST(Expectations, RejectsBadTextLists) {
  expectError(R"({"serial": {"matches": ["(unclosed"]}})", "/expect/serial/matches/0", "regular expression");
  expectError(R"({"serial": {"matches": ["ok", "[z-a]"]}})", "/expect/serial/matches/1", "regular expression");
  expectError(R"({"serial": {"matches": ["a\nb"]}})", "/expect/serial/matches/0", "line by line");
  // RE2 syntax: no back-references (they cannot be matched in linear time).
  expectError(R"({"serial": {"matches": ["(a)\\1"]}})", "/expect/serial/matches/0", "RE2 syntax");
  expectError(R"({"serial": {"contains": "Hello"}})", "/expect/serial/contains", "array");
  expectError(R"({"serial": {"contains": ["ok", ""]}})", "/expect/serial/contains/1", "empty");
  expectError(R"({"vga": {"contains": [1]}})", "/expect/vga/contains/0", "1");
}

TEST(Expectations, RejectsBadInstructionBounds) {
  expectError(R"({"instructions": {"min": 10, "max": 9}})", "/expect/instructions", "greater");
  expectError(R"({"instructions": {"min": 1.5}})", "/expect/instructions/min", "1.5");
  expectError(R"([])", "/expect", "object");
}

TEST(Expectations, RegisterNameTable) {
  for (const char* n : {"rax", "r15", "rip", "rflags", "cr0", "cr2", "cr3", "cr4", "efer", "cs", "ss", "eax",
                        "edi", "esp", "eip", "eflags", "r8d"})
    EXPECT_TRUE(isKnownRegisterName(n)) << n;
  for (const char* n : {"", "ax", "al", "r16", "cr1", "xmm0", "Rax"}) EXPECT_FALSE(isKnownRegisterName(n)) << n;
  EXPECT_EQ(wideRegisterOf("eax"), "rax");
  EXPECT_EQ(wideRegisterOf("eflags"), "rflags");
  EXPECT_EQ(wideRegisterOf("r10d"), "r10");
  EXPECT_EQ(wideRegisterOf("rax"), "");
}

}  // namespace
}  // namespace dlsim
