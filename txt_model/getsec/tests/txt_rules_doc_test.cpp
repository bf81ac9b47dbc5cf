// docs/txt-rules.md lists every GETSEC strict launch rule the code defines,
// with the same reference, and no other "getsec." rule (the SINIT model's
// rules get the same check for their prefix).
#include <gtest/gtest.h>

#include "sim/tests/launch_rules_doc.h"
#include "txt_model/getsec/getsec_rules.h"
#include "txt_model/sinit/sinit_rules.h"

namespace dlsim::txt {
namespace {

using dlsim::test::expectRulesDocumented;

TEST(TxtRulesDoc, EveryGetsecRuleIsDocumentedAndNoOther) {
  expectRulesDocumented("docs/txt-rules.md", "getsec.", getsec_rules::all());
}

TEST(TxtRulesDoc, EverySinitRuleIsDocumentedAndNoOther) {
  expectRulesDocumented("docs/txt-rules.md", "sinit.", sinit_rules::launchRules());
}

}  // namespace
}  // namespace dlsim::txt
