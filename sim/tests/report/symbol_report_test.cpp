// Symbols in the reports (--symbols; sim/report/symbol_text.h): JSON fields
// next to the addresses and the text report's lines, absent without symbols;
// the loads' gzip lines.
#include <gtest/gtest.h>

#include "sim/report/json_report.h"
#include "sim/report/symbol_text.h"
#include "sim/report/text_report.h"
#include "sim/tests/report/report_fixture.h"

namespace dlsim {
namespace {

using nlohmann::json;

std::shared_ptr<const SymbolMap> symbols() {
  auto m = std::make_shared<SymbolMap>();
  m->addText("00007c00 T boot\n00007c20 t done\n00001200 T handler\n", "syms");
  return m;
}

Report withChain() {
  Report r = testing::makeReport("boot", {{"cpu0.rax", false, "0x1", "0x2"}});
  r.obs.cpus[0].mode = "protected";
  r.obs.cpus[0].registers["rip"] = 0x7c24;
  r.obs.cpus[1].mode = "real";
  r.obs.cpus[1].registers["cs"] = 0x7c0;
  r.obs.cpus[1].registers["rip"] = 0x10;  // 0x7c00 + 0x10
  r.obs.cpus[1].exceptionChain = {"#GP(0x0) at 0x1234 (delivery failed: no IDT)", "#DF at 0x500"};
  r.obs.brokenRules.push_back({"a.rule", "SDM", "summary", RuleMode::Hardware, 0, 0x7c01, "detail"});
  return r;
}

TEST(SymbolReport, JsonNamesTheSymbolNextToEachAddress) {
  Report r = withChain();
  r.symbols = symbols();
  json j = json::parse(writeJsonReport({r}));
  EXPECT_EQ(j["stop"]["address"], "0x7c20");
  EXPECT_EQ(j["stop"]["symbol"], "done");
  EXPECT_EQ(j["cpus"][0]["rip_symbol"], "done+0x4");
  EXPECT_EQ(j["cpus"][1]["rip_symbol"], "boot+0x10");
  EXPECT_FALSE(j["cpus"][0].contains("exception_chain_symbols"));
  EXPECT_EQ(j["cpus"][1]["exception_chain_symbols"], (json{"handler+0x34", nullptr}));
  EXPECT_EQ(j["broken_launch_rules"][0]["symbol"], "boot+0x1");
}

TEST(SymbolReport, WithoutSymbolsNoSymbolKeysAndNoCpuLines) {
  Report r = withChain();
  json j = json::parse(writeJsonReport({r}));
  EXPECT_FALSE(j["stop"].contains("symbol"));
  EXPECT_FALSE(j["cpus"][0].contains("rip_symbol"));
  EXPECT_FALSE(j["cpus"][1].contains("exception_chain_symbols"));
  EXPECT_FALSE(j["broken_launch_rules"][0].contains("symbol"));
  const std::string text = writeTextReport(r, {});
  EXPECT_EQ(text.find("<"), std::string::npos) << text;
  EXPECT_EQ(text.find("  cpu0:"), std::string::npos) << text;
}

TEST(SymbolReport, TextShowsSymbolsAtTheStopCpusChainsAndRules) {
  Report r = withChain();
  r.obs.stop.detail = "triple fault on CPU 1: #GP(0x0) at 0x1234 -> #DF";
  r.symbols = symbols();
  const std::string text = writeTextReport(r, {});
  EXPECT_NE(text.find("at cpu 0 0x7c20 <done>;"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  cpu0: halted at 0x7c24 <done+0x4> (protected mode)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  cpu1: " + r.obs.cpus[1].state +
                      " at 0x7c10 <boot+0x10> (real mode); #GP(0x0) at 0x1234 <handler+0x34> (delivery failed: no "
                      "IDT); #DF at 0x500\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("stop detail: triple fault on CPU 1: #GP(0x0) at 0x1234 <handler+0x34> -> #DF"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("on cpu 0 at 0x7c01 <boot+0x1>: detail"), std::string::npos) << text;
}

TEST(SymbolReport, WithSymbolsAddsNothingWhereNoSymbolIsNear) {
  const auto m = symbols();
  EXPECT_EQ(withSymbols("x at 0x10 y", m.get()), "x at 0x10 y");
  EXPECT_EQ(withSymbols("at 0x7c00", m.get()), "at 0x7c00");  // no leading space: not an address mention
  EXPECT_EQ(withSymbols("a at 0x7c00 b at 0x7c21", m.get()), "a at 0x7c00 <boot> b at 0x7c21 <done+0x1>");
  EXPECT_EQ(withSymbols("a at 0x7c00", nullptr), "a at 0x7c00");
  EXPECT_EQ(namedAddress("#DF at 0x500 (x)"), std::optional<uint64_t>(0x500));
  EXPECT_EQ(namedAddress("#DF"), std::nullopt);
}

TEST(SymbolReport, LoadsSayWhatWasDecompressed) {
  Report r = testing::makeReport("boot", {});
  r.loads = {{"multiboot2 /b/tboot.gz (gzip, 10 -> 20 bytes): ...", {{"/b/tboot.gz", 10, 20}}}, {"flat x", {}}};
  json j = json::parse(writeJsonReport({r}));
  ASSERT_EQ(j["loads"].size(), 2u);
  EXPECT_EQ(j["loads"][0]["summary"], "multiboot2 /b/tboot.gz (gzip, 10 -> 20 bytes): ...");
  EXPECT_EQ(j["loads"][0]["decompressed"],
            (json::array({{{"file", "/b/tboot.gz"}, {"format", "gzip"}, {"file_bytes", 10}, {"bytes", 20}}})));
  EXPECT_EQ(j["loads"][1]["decompressed"], json::array());
  EXPECT_NE(writeTextReport(r, {}).find("\n  decompressed /b/tboot.gz (gzip): 10 -> 20 bytes\n"), std::string::npos);
}

}  // namespace
}  // namespace dlsim
