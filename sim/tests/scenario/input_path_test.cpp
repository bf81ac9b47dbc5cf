// Tests of the guest directory choice and of path resolution for load files.
#include "sim/scenario/input_path.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using testing_scenario::expectInputError;
using testing_scenario::scratchDir;
using testing_scenario::writeFile;
using json = nlohmann::json;

// Saves DLSIM_GUEST_DIR and restores it at the end of the test.
class InputPath : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* v = std::getenv("DLSIM_GUEST_DIR");
    had_ = v != nullptr;
    if (v) saved_ = v;
  }
  void TearDown() override {
    if (had_)
      setenv("DLSIM_GUEST_DIR", saved_.c_str(), 1);
    else
      unsetenv("DLSIM_GUEST_DIR");
  }

 private:
  bool had_ = false;
  std::string saved_;
};

TEST_F(InputPath, GuestDirectoryComesFromTheEnvironmentElseTheBuild) {
  unsetenv("DLSIM_GUEST_DIR");
  EXPECT_EQ(guestDirectory(), std::string(DLSIM_DEFAULT_GUEST_DIR));
  setenv("DLSIM_GUEST_DIR", "", 1);  // empty counts as unset
  EXPECT_EQ(guestDirectory(), std::string(DLSIM_DEFAULT_GUEST_DIR));
  setenv("DLSIM_GUEST_DIR", "/some/where", 1);
  EXPECT_EQ(guestDirectory(), "/some/where");
}

TEST_F(InputPath, ResolvesGuestRelativeAndAbsolutePaths) {
  std::filesystem::path dir = scratchDir();
  std::string scenario = (dir / "sub" / "s.json").string();
  writeFile(dir / "sub" / "k.elf", "k");
  writeFile(dir / "g" / "x.bin", "x");
  setenv("DLSIM_GUEST_DIR", (dir / "g").c_str(), 1);

  json v = "k.elf";
  EXPECT_EQ(resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario), (dir / "sub" / "k.elf").string());
  v = "../sub/./k.elf";
  EXPECT_EQ(resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario), (dir / "sub" / "k.elf").string());
  v = "@guests/x.bin";
  EXPECT_EQ(resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario), (dir / "g" / "x.bin").string());
  v = (dir / "g" / "x.bin").string();
  EXPECT_EQ(resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario), (dir / "g" / "x.bin").string());

  v = "@guests/";
  expectInputError([&] { resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario); },
                   {"s.json: /load/0/file: \"@guests/\" names no file"});
  v = 3;
  expectInputError([&] { resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario); },
                   {"s.json: /load/0/file: 3 is not a string"});
  v = "@guests/k.elf";
  expectInputError([&] { resolveInputFile(JsonValue(v, "s.json", "/load/2/initrd"), scenario); },
                   {"s.json: /load/2/initrd: \"@guests/k.elf\" resolves to " + (dir / "g" / "k.elf").string(),
                    "does not exist", "DLSIM_GUEST_DIR"});
}

}  // namespace
}  // namespace dlsim
