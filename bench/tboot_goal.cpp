// The tboot end-to-end goal (see bench_goals.h).
#include <cstdio>

#include "bench/bench_goals.h"

namespace dlsim {

GoalVerdict judgeTbootEndToEnd(double cpuSeconds, double wallSeconds, uint64_t instructions) {
  char goal[120], measured[200];
  std::snprintf(goal, sizeof goal, "tboot-basic end to end (parse to report): < %.1f s", kTbootEndToEndGoalSeconds);
  std::snprintf(measured, sizeof measured, "%.3f s (CPU time), %.3f s (wall), %.1f M guest instructions",
                cpuSeconds, wallSeconds, double(instructions) / 1e6);
  return {goal, measured, cpuSeconds > 0 && cpuSeconds < kTbootEndToEndGoalSeconds};
}

}  // namespace dlsim
