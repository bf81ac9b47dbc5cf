// Test helpers for the scenario tests: a per-test scratch directory to write
// scenario and image files into, and an assertion that a call throws an
// InputError whose message contains given fragments.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "sim/errors.h"

namespace dlsim::testing_scenario {

// A fresh directory under the GoogleTest temp dir, named after the test.
inline std::filesystem::path scratchDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "dlsim-scenario-tests" /
                              (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  return path.string();
}

// Runs f; requires an InputError whose message contains every fragment.
// Returns the message.
inline std::string expectInputError(const std::function<void()>& f, const std::vector<std::string>& fragments) {
  try {
    f();
  } catch (const InputError& e) {
    std::string m = e.what();
    for (const std::string& frag : fragments) EXPECT_NE(m.find(frag), std::string::npos) << "missing \"" << frag << "\" in: " << m;
    return m;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an InputError: " << e.what();
    return "";
  }
  ADD_FAILURE() << "no error thrown";
  return "";
}

}  // namespace dlsim::testing_scenario
