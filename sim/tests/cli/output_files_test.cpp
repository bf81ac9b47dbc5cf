#include "sim/cli/output_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

#include "sim/cli/report_files.h"
#include "sim/errors.h"

namespace dlsim::cli {
namespace {

namespace fs = std::filesystem;

class OutputFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("dlsim-output-files-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir / "ro", fs::perms::owner_all, ec);
    fs::remove_all(dir, ec);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  static std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir;
};

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(OutputFilesTest, PerScenarioPaths) {
  EXPECT_EQ(perScenarioPath("t.txt", 0, 1), "t.txt");
  EXPECT_EQ(perScenarioPath("t.txt", 0, 3), "t.txt.0");
  EXPECT_EQ(perScenarioPath("t.txt", 2, 3), "t.txt.2");
}

TEST_F(OutputFilesTest, TwoReportsInOneFileAreRefusedHoweverSpelt) {
  const std::string a = path("r.json");
  const std::string other = dir.string() + "/./sub/../r.json";
  fs::create_directories(dir / "sub");
  std::string m = errorOf([&] { refuseSharedPaths({{"--json", a}, {"--junit", other}}, {}); });
  EXPECT_NE(m.find("--json and --junit name the same file"), std::string::npos) << m;
  EXPECT_EQ(errorOf([&] { refuseSharedPaths({{"--json", a}, {"--junit", path("r.xml")}}, {}); }), "(no error)");
  m = errorOf([&] { refuseSharedPaths({{"--trace", path("s.json")}}, {path("s.json")}); });
  EXPECT_NE(m.find("is a scenario of this run"), std::string::npos) << m;
}

TEST_F(OutputFilesTest, UnwritablePathsAreRefusedAndExistingFilesKept) {
  std::string m = errorOf([&] { refuseUnwritable({"--json", path("no/such/dir/r.json")}); });
  EXPECT_NE(m.find("--json " + path("no/such/dir/r.json") + ": cannot be written"), std::string::npos) << m;
  m = errorOf([&] { refuseUnwritable({"--junit", dir.string()}); });
  EXPECT_NE(m.find("cannot be written: Is a directory"), std::string::npos) << m;
  std::ofstream(path("keep.txt")) << "old";
  refuseUnwritable({"--trace", path("keep.txt")});
  EXPECT_EQ(slurp(path("keep.txt")), "old");
}

TEST_F(OutputFilesTest, WholeFileWritesReplaceTheContentsAndLeaveNoTemporary) {
  writeWholeFile({"--json", path("r.json")}, "first, longer text");
  writeWholeFile({"--json", path("r.json")}, "second");
  EXPECT_EQ(slurp(path("r.json")), "second");
  EXPECT_FALSE(fs::exists(path("r.json.partial")));
}

TEST_F(OutputFilesTest, AStreamGetsOnlyTheFinalDocument) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string pipePath = "/proc/self/fd/" + std::to_string(fds[1]);
  EXPECT_TRUE(isStream(pipePath));
  EXPECT_FALSE(isStream(path("absent.json")));
  ReportFiles files(OutputFile{"--json", pipePath}, std::nullopt, false, true);
  files.write({}, false);
  files.write({}, false);
  files.write({}, true);
  close(fds[1]);
  std::string got;
  char buf[256];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, size_t(n));
  close(fds[0]);
  EXPECT_EQ(got, "{\n  \"runs\": [],\n  \"version\": 1\n}\n");  // once, not three times
}

TEST_F(OutputFilesTest, ReportsAreValidBeforeAnyRunAndAfterEach) {
  ReportFiles files(OutputFile{"--json", path("r.json")}, OutputFile{"--junit", path("r.xml")}, false, true);
  files.write({}, false);
  EXPECT_EQ(slurp(path("r.json")), "{\n  \"runs\": [],\n  \"version\": 1\n}\n");
  EXPECT_NE(slurp(path("r.xml")).find("<testsuite name=\"dlsim\" tests=\"0\""), std::string::npos);
  Report r;
  r.scenarioFile = "a.json";
  setError(r, ErrorKind::kInput, "a.json: cannot open file");
  files.write({r}, false);
  EXPECT_NE(slurp(path("r.json")).find("\"runs\": ["), std::string::npos);  // the several-scenario form
  EXPECT_NE(slurp(path("r.xml")).find("tests=\"1\""), std::string::npos);
}

}  // namespace
}  // namespace dlsim::cli
