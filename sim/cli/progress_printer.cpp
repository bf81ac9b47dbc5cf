#include "sim/cli/progress_printer.h"

#include <unistd.h>

#include <cstdlib>

namespace dlsim::cli {

namespace {

std::string count(uint64_t n, bool millions) {
  return millions ? std::to_string(n / 1000000) + " M" : std::to_string(n / 1000) + " K";
}

}  // namespace

std::string progressText(const std::string& name, uint64_t instructions, uint64_t budget, double seconds) {
  const bool millions = budget >= 10000000;
  // Percent without overflow for budgets near 2^64.
  const unsigned percent = budget == 0 ? 100 : unsigned(double(instructions) / double(budget) * 100.0);
  return name + ": " + count(instructions, millions) + " of " + count(budget, millions) + " instructions (" +
         std::to_string(percent > 100 ? 100 : percent) + "%), " + std::to_string(uint64_t(seconds)) + " s elapsed";
}

bool colourWanted(int fd) {
  const char* noColour = std::getenv("NO_COLOR");
  return isatty(fd) && (noColour == nullptr || *noColour == '\0');
}

ProgressPrinter::ProgressPrinter(std::FILE* out, bool terminal, std::chrono::seconds every)
    : out_(out), terminal_(terminal), every_(every) {}

void ProgressPrinter::start(const std::string& name) {
  name_ = name;
  start_ = std::chrono::steady_clock::now();
  nextLine_ = start_ + every_;
  drawn_ = false;
}

void ProgressPrinter::update(uint64_t instructions, uint64_t budget) {
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - start_).count();
  if (terminal_) {
    std::fprintf(out_, "\r%s\033[K", progressText(name_, instructions, budget, seconds).c_str());
    drawn_ = true;
  } else if (now >= nextLine_) {
    std::fprintf(out_, "%s\n", progressText(name_, instructions, budget, seconds).c_str());
    nextLine_ = now + every_;
  } else {
    return;
  }
  std::fflush(out_);
}

void ProgressPrinter::finish() {
  if (terminal_ && drawn_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
  }
  drawn_ = false;
}

}  // namespace dlsim::cli
