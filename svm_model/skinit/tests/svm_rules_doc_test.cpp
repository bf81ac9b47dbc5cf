// docs/svm-rules.md lists every SKINIT strict launch rule the code defines,
// with the same reference, and no other "skinit." rule; the same for the SVM
// CPU's "svm." rules.
#include <gtest/gtest.h>

#include "sim/tests/launch_rules_doc.h"
#include "svm_model/cpu/svm_rules.h"
#include "svm_model/skinit/skinit_rules.h"

namespace dlsim::svm {
namespace {

using dlsim::test::expectRulesDocumented;

TEST(SvmRulesDoc, EverySkinitRuleIsDocumentedAndNoOther) {
  expectRulesDocumented("docs/svm-rules.md", "skinit.", skinit_rules::all());
}

TEST(SvmRulesDoc, EverySvmCpuRuleIsDocumentedAndNoOther) {
  expectRulesDocumented("docs/svm-rules.md", "svm.", svm_rules::all());
}

}  // namespace
}  // namespace dlsim::svm
