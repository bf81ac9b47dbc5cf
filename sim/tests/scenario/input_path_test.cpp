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

// Saves DLSIM_GUEST_DIR and DLSIM_STUB_DIR and restores them at the end of the test.
class InputPath : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) {
      const char* v = std::getenv(kVars[i]);
      had_[i] = v != nullptr;
      if (v) saved_[i] = v;
    }
  }
  void TearDown() override {
    for (int i = 0; i < 2; ++i) {
      if (had_[i])
        setenv(kVars[i], saved_[i].c_str(), 1);
      else
        unsetenv(kVars[i]);
    }
  }

 private:
  static constexpr const char* kVars[2] = {"DLSIM_GUEST_DIR", "DLSIM_STUB_DIR"};
  bool had_[2] = {false, false};
  std::string saved_[2];
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

// The build declares "@guests/", "@stub/" and "@tboot/" (cmake/GuestCode.cmake),
// each with its own environment override; an unknown prefix names the known ones.
TEST_F(InputPath, EveryBuiltDirectoryHasItsPrefixAndOverride) {
  const auto& dirs = builtInputDirectories();
  ASSERT_EQ(dirs.size(), 3u);
  EXPECT_EQ(dirs[0].name, "guests");
  EXPECT_EQ(dirs[0].envVar, "DLSIM_GUEST_DIR");
  EXPECT_EQ(dirs[0].defaultDir, std::string(DLSIM_DEFAULT_GUEST_DIR));
  EXPECT_EQ(dirs[1].name, "stub");
  EXPECT_EQ(dirs[1].envVar, "DLSIM_STUB_DIR");
  EXPECT_EQ(dirs[1].defaultDir, std::string(DLSIM_DEFAULT_STUB_DIR));
  EXPECT_EQ(dirs[2].name, "tboot");
  EXPECT_EQ(dirs[2].envVar, "DLSIM_TBOOT_DIR");
  EXPECT_EQ(dirs[2].defaultDir, std::string(DLSIM_DEFAULT_TBOOT_DIR));

  std::filesystem::path dir = scratchDir();
  std::string scenario = (dir / "s.json").string();
  writeFile(dir / "st" / "txt" / "launch.bin", "s");
  writeFile(dir / "g" / "launch.bin", "g");
  setenv("DLSIM_STUB_DIR", (dir / "st").c_str(), 1);
  setenv("DLSIM_GUEST_DIR", (dir / "g").c_str(), 1);
  json v = "@stub/txt/launch.bin";
  EXPECT_EQ(resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario),
            (dir / "st" / "txt" / "launch.bin").string());
  v = "@guests/launch.bin";
  EXPECT_EQ(resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario), (dir / "g" / "launch.bin").string());
  unsetenv("DLSIM_STUB_DIR");
  EXPECT_EQ(dirs[1].directory(), std::string(DLSIM_DEFAULT_STUB_DIR));

  v = "@stub/";
  expectInputError([&] { resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario); },
                   {"s.json: /load/0/file: \"@stub/\" names no file after @stub/"});
  v = "@stubs/x.bin";
  expectInputError([&] { resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario); },
                   {"\"@stubs/x.bin\": the @-prefixes are @guests/, @stub/, @tboot/"});
  v = "@stub/missing.bin";
  expectInputError([&] { resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario); },
                   {"does not exist", "stub directory", "DLSIM_STUB_DIR"});
}

}  // namespace
}  // namespace dlsim
