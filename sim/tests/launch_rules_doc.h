// What the rules-document tests share (txt_model/getsec/tests,
// svm_model/skinit/tests): a rules document in docs/ lists every strict
// launch rule the code defines, with the same reference, and no other rule
// with its prefix. The test binary defines DLSIM_SOURCE_DIR.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/launch_rules.h"

namespace dlsim::test {

// Rule id -> reference, from the table rows "| `id` | ref | ..." of `doc`
// (relative to the source tree) whose id starts with `prefix`.
inline std::map<std::string, std::string> documentedRules(const std::string& doc, const std::string& prefix) {
  std::ifstream in(std::string(DLSIM_SOURCE_DIR) + "/" + doc);
  EXPECT_TRUE(in) << doc << " is missing";
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

// Every rule of `rules` is in `doc` with its reference, and `doc` lists no
// other rule with `prefix`.
inline void expectRulesDocumented(const std::string& doc, const std::string& prefix,
                                  const std::vector<LaunchRule>& rules) {
  const auto documented = documentedRules(doc, prefix);
  std::set<std::string> code;
  for (const LaunchRule& r : rules) {
    EXPECT_TRUE(code.insert(r.id).second) << r.id << " is defined twice";
    auto it = documented.find(r.id);
    if (it == documented.end()) {
      ADD_FAILURE() << r.id << " is not in " << doc;
      continue;
    }
    EXPECT_EQ(it->second, r.reference) << r.id;
  }
  for (const auto& [id, ref] : documented) EXPECT_TRUE(code.count(id)) << id << " is documented but not defined";
  EXPECT_EQ(documented.size(), code.size());
}

}  // namespace dlsim::test
