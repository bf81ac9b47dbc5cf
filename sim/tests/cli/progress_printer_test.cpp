#include "sim/cli/progress_printer.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>

namespace dlsim::cli {
namespace {

TEST(ProgressText, InstructionsOfTheBudgetPercentAndElapsed) {
  EXPECT_EQ(progressText("a.json", 250000000, 1000000000, 12.7), "a.json: 250 M of 1000 M instructions (25%), 12 s elapsed");
  EXPECT_EQ(progressText("a.json", 5000, 20000, 0.2), "a.json: 5 K of 20 K instructions (25%), 0 s elapsed");
  // A budget near 2^64 does not overflow the percentage.
  EXPECT_EQ(progressText("a", UINT64_MAX / 2, UINT64_MAX, 1), "a: 9223372036854 M of 18446744073709 M instructions (50%), 1 s elapsed");
}

TEST(ProgressPrinter, NotATerminalPrintsAPlainLineOnlyOnceARunTakesLong) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  ProgressPrinter p(f, false, std::chrono::seconds(0));
  p.start("x.json");
  p.update(50000000, 100000000);
  p.finish();
  std::fflush(f);
  EXPECT_EQ(std::string(buf, len), "x.json: 50 M of 100 M instructions (50%), 0 s elapsed\n");
  std::fclose(f);
  std::free(buf);

  buf = nullptr;
  f = open_memstream(&buf, &len);
  ProgressPrinter slow(f, false, std::chrono::seconds(3600));
  slow.start("y.json");
  slow.update(50000000, 100000000);  // a short run prints nothing
  slow.finish();
  std::fflush(f);
  EXPECT_EQ(len, 0u);
  std::fclose(f);
  std::free(buf);
}

TEST(ProgressPrinter, TerminalRedrawsOneLineAndClearsIt) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  ProgressPrinter p(f, true);
  p.start("x.json");
  p.update(50000000, 100000000);
  p.finish();
  std::fflush(f);
  EXPECT_EQ(std::string(buf, len), "\rx.json: 50 M of 100 M instructions (50%), 0 s elapsed\033[K\r\033[K");
  std::fclose(f);
  std::free(buf);
}

TEST(Colour, NoColorIsHonoured) {
  // A pipe is not a terminal whatever NO_COLOR says; with NO_COLOR set, even a terminal gets none.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_FALSE(colourWanted(fds[1]));
  close(fds[0]);
  close(fds[1]);
  setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(colourWanted(STDOUT_FILENO));
  unsetenv("NO_COLOR");
}

}  // namespace
}  // namespace dlsim::cli
