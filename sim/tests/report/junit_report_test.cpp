// JUnit XML: structure, counts and escaping of hostile text.
#include "sim/report/junit_report.h"

#include <gtest/gtest.h>

#include "sim/tests/report/report_fixture.h"

namespace dlsim {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// Minimal well-formedness check for the subset of XML the writer emits:
// tags balance, and text / attribute values hold no raw '<', no '&' that does
// not start an entity, and no characters XML 1.0 forbids.
void expectWellFormed(const std::string& xml) {
  std::vector<std::string> stack;
  size_t i = xml.find("?>");
  ASSERT_NE(i, std::string::npos);
  i += 2;
  while (i < xml.size()) {
    unsigned char c = static_cast<unsigned char>(xml[i]);
    ASSERT_FALSE(c < 0x20 && c != '\n' && c != '\t' && c != '\r') << "control byte at " << i;
    if (c == '&') {
      size_t semi = xml.find(';', i);
      ASSERT_NE(semi, std::string::npos);
      std::string ent = xml.substr(i, semi - i + 1);
      EXPECT_TRUE(ent == "&amp;" || ent == "&lt;" || ent == "&gt;" || ent == "&quot;" || ent == "&apos;" ||
                  ent == "&#10;" || ent == "&#9;")
          << ent;
      i = semi + 1;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    size_t end = i + 1;
    bool inQuote = false;
    while (end < xml.size() && (inQuote || xml[end] != '>')) {
      if (xml[end] == '"') inQuote = !inQuote;
      ASSERT_FALSE(inQuote && xml[end] == '<') << "raw '<' in an attribute at " << end;
      ++end;
    }
    ASSERT_LT(end, xml.size());
    std::string tag = xml.substr(i + 1, end - i - 1);
    std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" />", 1) - (tag[0] == '/' ? 1 : 0));
    if (tag[0] == '/') {
      ASSERT_FALSE(stack.empty());
      EXPECT_EQ(stack.back(), name);
      stack.pop_back();
    } else if (tag.back() != '/') {
      stack.push_back(name);
    }
    i = end + 1;
  }
  EXPECT_TRUE(stack.empty());
}

TEST(JunitReport, SuiteCasesFailuresErrors) {
  Report pass = testing::makeReport("pass-one", {{"stop.reason", true, "a", "a"}});
  Report fail = testing::makeReport("fail-one", {{"cpu0.rax", false, "0x1", "0x2"}, {"vga", false, "OK", "x"}});
  Report err;
  err.scenarioFile = "bad.json";
  setError(err, ErrorKind::kInput, "bad.json: /load: missing");
  std::string xml = writeJunitReport({pass, fail, err});
  expectWellFormed(xml);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"dlsim\" tests=\"3\" "
                      "failures=\"1\" errors=\"1\" skipped=\"0\">\n",
                      0),
            0u)
      << xml;
  EXPECT_EQ(count(xml, "<testcase "), 3u);
  EXPECT_EQ(count(xml, "classname=\"scenario\""), 3u);
  EXPECT_NE(xml.find("<testcase name=\"pass-one\" classname=\"scenario\" file=\"scenarios/pass-one.json\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"2 of 2 checks failed: cpu0.rax, vga\" type=\"checks\">"
                     "cpu0.rax: expected \"0x1\", actual \"0x2\"\nvga: expected \"OK\", actual \"x\"\n"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error message=\"bad.json: /load: missing\" type=\"input\">"), std::string::npos);
  EXPECT_EQ(count(xml, "<failure "), 1u);
  EXPECT_NE(xml.find("<system-out>stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions (all CPUs halted)\n"
                     "--- com1 ---\nbooting\nHello, world\nboot ok\n</system-out>"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("time="), std::string::npos);
}

TEST(JunitReport, XfailIsAPassingCaseThatSaysSo) {
  Report x = testing::makeReport("x", {});
  x.expectedFailure = "bug <7>";
  x.checks = {{"c", false, 1, 2}};
  decideResult(x);
  std::string xml = writeJunitReport({x});
  expectWellFormed(xml);
  EXPECT_NE(xml.find("failures=\"0\" errors=\"0\""), std::string::npos);
  EXPECT_EQ(xml.find("<failure"), std::string::npos);
  EXPECT_NE(xml.find("<system-out>XFAIL: failed as expected: bug &lt;7&gt;\n"), std::string::npos) << xml;
}

TEST(JunitReport, HostileTextIsEscaped) {
  Report r = testing::makeReport("t", {{"serial.com1 contains \"<a&b>\"", false, "<a&b>", "not found"}});
  static const char kHostile[] = "</system-out><x>&amp;\x01\x1b\xff\"'\r\n]]>\0end";
  r.obs.serial["com1"] = std::string(kHostile, sizeof kHostile - 1);
  r.obs.stop.detail = "a\"b'c<d>";
  r.scenarioFile = "dir/\"quoted\" & <odd>\n.json";
  std::string xml = writeJunitReport({r});
  expectWellFormed(xml);
  EXPECT_EQ(count(xml, "</system-out>"), 1u);
  EXPECT_NE(xml.find("&lt;/system-out&gt;&lt;x&gt;&amp;amp;\\x01\\x1b\\xff\"'\n]]&gt;\\x00end"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("file=\"dir/&quot;quoted&quot; &amp; &lt;odd&gt;&#10;.json\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("message=\"1 of 1 checks failed: serial.com1 contains &quot;&lt;a&amp;b&gt;&quot;\""),
            std::string::npos)
      << xml;
}

TEST(JunitReport, EscapeFunctions) {
  EXPECT_EQ(xmlText("a<b>&c\"'\n"), "a&lt;b&gt;&amp;c\"'\n");
  EXPECT_EQ(xmlAttribute("a<b>&c\"'\n\t"), "a&lt;b&gt;&amp;c&quot;&apos;&#10;&#9;");
  EXPECT_EQ(xmlText(std::string("\x02", 1)), "\\x02");
}

TEST(JunitReport, TimesOnlyWhenAsked) {
  Report r = testing::makeReport("t", {});
  std::string xml = writeJunitReport({r}, JunitReportOptions{true});
  EXPECT_NE(xml.find("time=\"1.250\""), std::string::npos);
}

}  // namespace
}  // namespace dlsim
