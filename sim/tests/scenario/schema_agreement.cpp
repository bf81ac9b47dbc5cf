// The schema agreement harness (see schema_agreement.h).
#include "sim/tests/scenario/schema_agreement.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "sim/checks/expectations.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim::testing_scenario {
namespace {

// dlsim's verdict: the scenario parser and the expectation parser accept it.
bool dlsimAccepts(const std::string& path, const ModelList& models, std::string& why) {
  try {
    Scenario s = loadScenario(path, models);
    parseExpectations(s.expect, path, models);
    return true;
  } catch (const InputError& e) {
    why = e.what();
    return false;
  }
}

// "ok   PATH" / "FAIL PATH" lines of check_scenarios.py give the schema's
// verdict per file.
std::map<std::string, bool> schemaVerdicts(const std::string& output) {
  std::map<std::string, bool> ok;
  size_t pos = 0;
  while (pos < output.size()) {
    size_t end = output.find('\n', pos);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("ok   ", 0) == 0) ok[line.substr(5)] = true;
    if (line.rfind("FAIL ", 0) == 0) ok[line.substr(5)] = false;
  }
  return ok;
}

}  // namespace

void expectSchemaAndParserAgree(const std::vector<SchemaCase>& cases, const ModelList& models) {
  if (std::system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 with jsonschema is not installed";
  const std::filesystem::path dir = scratchDir();
  writeFile(dir / "img.bin", "\x90\xf4");
  std::map<std::string, const SchemaCase*> byPath;
  bool anyInvalid = false;
  int n = 0;
  for (const SchemaCase& c : cases) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%03d-", n++);
    byPath[writeFile(dir / (std::string(prefix) + c.label + ".json"), c.text)] = &c;
    anyInvalid = anyInvalid || !c.valid;
  }

  std::string cmd = "python3 '" DLSIM_SOURCE_DIR "/scenarios/schema/check_scenarios.py' '" + dir.string() + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[4096];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, got);
  const int status = pclose(p);
  if (anyInvalid) {
    EXPECT_NE(status, 0) << "the checker must fail when a file is invalid";
  }

  std::map<std::string, bool> schemaOk = schemaVerdicts(output);
  ASSERT_EQ(schemaOk.size(), cases.size()) << output;
  for (const auto& [path, c] : byPath) {
    ASSERT_TRUE(schemaOk.count(path)) << path << "\n" << output;
    std::string why;
    const bool parser = dlsimAccepts(path, models, why);
    EXPECT_EQ(schemaOk[path], c->valid) << c->label << ": schema verdict wrong\n" << output;
    EXPECT_EQ(parser, c->valid) << c->label << ": parser verdict wrong: " << why;
  }
}

}  // namespace dlsim::testing_scenario
