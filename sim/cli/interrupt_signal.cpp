#include "sim/cli/interrupt_signal.h"

#include <csignal>

namespace dlsim::cli {

namespace {

volatile std::sig_atomic_t g_signal = 0;

void onSignal(int sig) { g_signal = sig; }

}  // namespace

void catchInterrupts() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // the second signal takes the default action
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int interruptSignal() { return g_signal; }

void throwIfInterrupted() {
  if (int sig = g_signal) throw RunInterrupted{sig};
}

}  // namespace dlsim::cli
