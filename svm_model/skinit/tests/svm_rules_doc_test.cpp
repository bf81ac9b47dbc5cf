// docs/svm-rules.md lists every SKINIT strict launch rule the code defines,
// with the same reference, and no other "skinit." rule; the same for the SVM
// CPU's "svm." rules.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "svm_model/cpu/svm_rules.h"
#include "svm_model/skinit/skinit_rules.h"

namespace dlsim::svm {
namespace {

// Rule id -> reference, from the document's table rows "| `id` | ref | ...".
std::map<std::string, std::string> documentedRules(const std::string& prefix) {
  std::ifstream in(std::string(DLSIM_SOURCE_DIR) + "/docs/svm-rules.md");
  EXPECT_TRUE(in) << "docs/svm-rules.md is missing";
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

// Every rule of `rules` is in the document with its reference, and the
// document lists no other rule with `prefix`.
void expectDocumented(const std::string& prefix, const std::vector<LaunchRule>& rules) {
  const auto doc = documentedRules(prefix);
  std::set<std::string> code;
  for (const LaunchRule& r : rules) {
    EXPECT_TRUE(code.insert(r.id).second) << r.id << " is defined twice";
    auto it = doc.find(r.id);
    if (it == doc.end()) {
      ADD_FAILURE() << r.id << " is not in docs/svm-rules.md";
      continue;
    }
    EXPECT_EQ(it->second, r.reference) << r.id;
  }
  for (const auto& [id, ref] : doc) EXPECT_TRUE(code.count(id)) << id << " is documented but not defined";
  EXPECT_EQ(doc.size(), code.size());
}

TEST(SvmRulesDoc, EverySkinitRuleIsDocumentedAndNoOther) { expectDocumented("skinit.", skinit_rules::all()); }

TEST(SvmRulesDoc, EverySvmCpuRuleIsDocumentedAndNoOther) { expectDocumented("svm.", svm_rules::all()); }

}  // namespace
}  // namespace dlsim::svm
