// The host clocks the benches read (never the guest: these only time dlsim
// and the bare engine): this thread's CPU time and the monotonic wall clock.
#pragma once

#include <time.h>

#include <chrono>

namespace dlsim::bench {

inline double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline double threadCpuUs() { return threadCpuSeconds() * 1e6; }

inline double wallUs() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace dlsim::bench
