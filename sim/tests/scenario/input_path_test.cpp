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

// Saves DLSIM_GUEST_DIR, DLSIM_STUB_DIR and DLSIM_SKL_DIR and restores them at the end of the test.
class InputPath : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < kCount; ++i) {
      const char* v = std::getenv(kVars[i]);
      had_[i] = v != nullptr;
      if (v) saved_[i] = v;
    }
  }
  void TearDown() override {
    for (int i = 0; i < kCount; ++i) {
      if (had_[i])
        setenv(kVars[i], saved_[i].c_str(), 1);
      else
        unsetenv(kVars[i]);
    }
  }

 private:
  static constexpr int kCount = 3;
  static constexpr const char* kVars[kCount] = {"DLSIM_GUEST_DIR", "DLSIM_STUB_DIR", "DLSIM_SKL_DIR"};
  bool had_[kCount] = {false, false, false};
  std::string saved_[kCount];
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

// The build declares "@guests/", "@stub/", "@tboot/" and "@skl/"
// (cmake/GuestCode.cmake), each with its own environment override; an
// unknown prefix names the known ones.
TEST_F(InputPath, EveryBuiltDirectoryHasItsPrefixAndOverride) {
  const auto& dirs = builtInputDirectories();
  ASSERT_EQ(dirs.size(), 4u);
  EXPECT_EQ(dirs[0].name, "guests");
  EXPECT_EQ(dirs[0].envVar, "DLSIM_GUEST_DIR");
  EXPECT_EQ(dirs[0].defaultDir, std::string(DLSIM_DEFAULT_GUEST_DIR));
  EXPECT_EQ(dirs[1].name, "stub");
  EXPECT_EQ(dirs[1].envVar, "DLSIM_STUB_DIR");
  EXPECT_EQ(dirs[1].defaultDir, std::string(DLSIM_DEFAULT_STUB_DIR));
  EXPECT_EQ(dirs[2].name, "tboot");
  EXPECT_EQ(dirs[2].envVar, "DLSIM_TBOOT_DIR");
  EXPECT_EQ(dirs[2].defaultDir, std::string(DLSIM_DEFAULT_TBOOT_DIR));
  EXPECT_EQ(dirs[3].name, "skl");
  EXPECT_EQ(dirs[3].envVar, "DLSIM_SKL_DIR");
  EXPECT_EQ(dirs[3].defaultDir, "");  // the user's SKL build: no default

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
                   {"\"@stubs/x.bin\": the @-prefixes are @guests/, @stub/, @tboot/, @skl/"});
  v = "@stub/missing.bin";
  expectInputError([&] { resolveInputFile(JsonValue(v, "s.json", "/load/0/file"), scenario); },
                   {"does not exist", "stub directory", "DLSIM_STUB_DIR"});
}

// "@skl/NAME" is a file of the user's SKL build, $DLSIM_SKL_DIR: unset or
// absent it is a MissingInputError (tests skip on it) and, like a file
// missing from it, says how to build SKL (kSklBuildHint).
TEST_F(InputPath, SklFilesComeFromDlsimSklDir) {
  std::filesystem::path dir = scratchDir();
  std::string scenario = (dir / "s.json").string();
  writeFile(dir / "skl" / "skl.bin", "s");
  const json v = "@skl/skl.bin";
  const JsonValue value(v, "s.json", "/svm/handoff/slb");
  const auto missingDirectory = [&]() -> std::string {
    try {
      resolveInputFile(value, scenario);
    } catch (const MissingInputError& e) {
      return "missing " + e.directory + ": " + e.what();
    } catch (const InputError& e) {
      return std::string("other: ") + e.what();
    }
    return "no error";
  };
  for (const char* unset : std::initializer_list<const char*>{"", nullptr}) {
    if (unset) setenv("DLSIM_SKL_DIR", unset, 1);
    else unsetenv("DLSIM_SKL_DIR");
    const std::string m = missingDirectory();
    EXPECT_EQ(m.rfind("missing : s.json: /svm/handoff/slb: \"@skl/skl.bin\": no skl directory (set DLSIM_SKL_DIR)", 0), 0u) << m;
    EXPECT_NE(m.find(kSklBuildHint), std::string::npos) << m;
    EXPECT_NE(m.find("-fno-strict-aliasing"), std::string::npos) << m;
  }
  setenv("DLSIM_SKL_DIR", (dir / "no-skl").c_str(), 1);
  const std::string absent = missingDirectory();
  EXPECT_EQ(absent.rfind("missing " + (dir / "no-skl").string() + ": ", 0), 0u) << absent;
  EXPECT_NE(absent.find(kSklBuildHint), std::string::npos) << absent;

  setenv("DLSIM_SKL_DIR", (dir / "skl").c_str(), 1);
  EXPECT_EQ(resolveInputFile(value, scenario), (dir / "skl" / "skl.bin").string());
  const json other = "@skl/other.bin";  // the directory exists: an ordinary InputError
  expectInputError([&] { resolveInputFile(JsonValue(other, "s.json", "/svm/handoff/slb"), scenario); },
                   {"s.json: /svm/handoff/slb: \"@skl/other.bin\" resolves to " + (dir / "skl" / "other.bin").string(),
                    "does not exist (skl directory " + (dir / "skl").string() + ", $DLSIM_SKL_DIR)", kSklBuildHint});
  try {
    resolveInputFile(JsonValue(other, "s.json", "/svm/handoff/slb"), scenario);
  } catch (const MissingInputError&) {
    ADD_FAILURE() << "a file missing from an existing directory is no MissingInputError";
  } catch (const InputError&) {
  }
}

}  // namespace
}  // namespace dlsim
