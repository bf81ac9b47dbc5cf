// SIGINT and SIGTERM during `dlsim run`: the first one is noted (not acted on
// inside the handler) so that the run in progress is abandoned at its next
// progress point and the reports of the scenarios that finished stay whole;
// a second one ends the process at once (the default action).
#pragma once

namespace dlsim::cli {

// Thrown out of a run's progress callback when a signal arrived. Not a
// std::exception, so the runner's error handling lets it through.
struct RunInterrupted {
  int signal;
};

// Installs the handlers (once per process).
void catchInterrupts();
// The signal that arrived (SIGINT, SIGTERM), or 0.
int interruptSignal();
// Throws RunInterrupted when a signal arrived.
void throwIfInterrupted();

}  // namespace dlsim::cli
