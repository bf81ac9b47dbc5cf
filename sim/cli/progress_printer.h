// Progress of long runs on stderr: instructions of the budget, percent and
// elapsed wall time. On a terminal one line is redrawn in place; otherwise
// (a CI log) a plain line is printed every few seconds, the first only once
// a run has taken that long. Wall time appears only here, never in a report
// or the guest.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace dlsim::cli {

// "NAME: 1200 M of 5000 M instructions (24%), 12 s elapsed" (below 10 M
// instructions the counts are in K).
std::string progressText(const std::string& name, uint64_t instructions, uint64_t budget, double seconds);

// Colour (ANSI) is wanted on `fd`: a terminal and NO_COLOR unset or empty.
bool colourWanted(int fd);

class ProgressPrinter {
 public:
  // `terminal`: redraw one line in place; otherwise print a line every `every`.
  ProgressPrinter(std::FILE* out, bool terminal, std::chrono::seconds every = std::chrono::seconds(5));
  // A run begins (resets the clock).
  void start(const std::string& name);
  // Called from the run now and then.
  void update(uint64_t instructions, uint64_t budget);
  // The run ended: clears the terminal line if one was drawn.
  void finish();

 private:
  std::FILE* out_;
  bool terminal_;
  std::chrono::seconds every_;
  std::string name_;
  std::chrono::steady_clock::time_point start_, nextLine_;
  bool drawn_ = false;
};

}  // namespace dlsim::cli
