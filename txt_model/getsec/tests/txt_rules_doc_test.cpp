// docs/txt-rules.md lists every GETSEC strict launch rule the code defines,
// with the same reference, and no other "getsec." rule (the SINIT model's
// rules get the same check for their prefix).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "txt_model/getsec/getsec_rules.h"
#include "txt_model/sinit/sinit_rules.h"

namespace dlsim::txt {
namespace {

// Rule id -> reference, from the document's table rows "| `id` | ref | ...".
std::map<std::string, std::string> documentedRules(const std::string& prefix) {
  std::ifstream in(std::string(DLSIM_SOURCE_DIR) + "/docs/txt-rules.md");
  EXPECT_TRUE(in) << "docs/txt-rules.md is missing";
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    const size_t idEnd = line.find('`', 3);
    if (idEnd == std::string::npos) continue;
    const std::string id = line.substr(3, idEnd - 3);
    if (id.rfind(prefix, 0) != 0) continue;
    const size_t refStart = line.find("| ", idEnd) + 2;
    const size_t refEnd = line.find(" |", refStart);
    EXPECT_FALSE(out.count(id)) << id << " is listed twice";
    out[id] = line.substr(refStart, refEnd - refStart);
  }
  return out;
}

TEST(TxtRulesDoc, EveryGetsecRuleIsDocumentedAndNoOther) {
  const auto doc = documentedRules("getsec.");
  std::set<std::string> code;
  for (const LaunchRule& r : getsec_rules::all()) {
    EXPECT_TRUE(code.insert(r.id).second) << r.id << " is defined twice";
    auto it = doc.find(r.id);
    if (it == doc.end()) {
      ADD_FAILURE() << r.id << " is not in docs/txt-rules.md";
      continue;
    }
    EXPECT_EQ(it->second, r.reference) << r.id;
  }
  for (const auto& [id, ref] : doc) EXPECT_TRUE(code.count(id)) << id << " is documented but not defined";
  EXPECT_EQ(doc.size(), code.size());
}

TEST(TxtRulesDoc, EverySinitRuleIsDocumentedAndNoOther) {
  const auto doc = documentedRules("sinit.");
  std::set<std::string> code;
  for (const LaunchRule& r : sinit_rules::launchRules()) {
    EXPECT_TRUE(code.insert(r.id).second) << r.id << " is defined twice";
    auto it = doc.find(r.id);
    if (it == doc.end()) {
      ADD_FAILURE() << r.id << " is not in docs/txt-rules.md";
      continue;
    }
    EXPECT_EQ(it->second, r.reference) << r.id;
  }
  for (const auto& [id, ref] : doc) EXPECT_TRUE(code.count(id)) << id << " is documented but not defined";
  EXPECT_EQ(doc.size(), code.size());
}

}  // namespace
}  // namespace dlsim::txt
