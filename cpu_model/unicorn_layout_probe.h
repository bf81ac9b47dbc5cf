// The start-up probe of the private Unicorn state dlsim reads and writes
// without a public API: the saved context's exception fields
// (unicorn_context.h) and CPUX86State's segment caches, flags and control
// registers (segment_cache.h). Unlike the exit-check switch
// (unicorn_exit_checks.h) these have no slower path that gives the same
// results, so on every build, the pinned one included, the first engine runs
// the probe once per process: probe engines raise #GP(0x38) twice and
// INT 0x21 and load a segment cache, and the fields must hold what the CPU
// did. If any probe fails, no engine is opened: the run ends before any
// guest code with an InternalError naming the Unicorn version and build.
// Either the results are the pinned build's or the run does not happen.
#pragma once

#include <optional>
#include <string>

#include "cpu_model/unicorn_context.h"

namespace dlsim::unicorn_layout_probe {

// Runs the probes: nullopt when all pass, else what failed.
std::optional<std::string> probe();

// Runs probe() the first time (the verdict is kept) and throws InternalError
// naming the Unicorn version and build ID and the failed probe if it failed.
void require();

// The refusal's text for a failed probe `what`.
std::string refusal(const std::string& what);

// Test seam: while it lives, the context offsets are `offsets` and the
// verdict is taken again (then the real offsets and a fresh verdict return).
class ScopedContextOffsetsForTest {
 public:
  explicit ScopedContextOffsetsForTest(const ContextOffsets& offsets);
  ~ScopedContextOffsetsForTest();
  ScopedContextOffsetsForTest(const ScopedContextOffsetsForTest&) = delete;
  ScopedContextOffsetsForTest& operator=(const ScopedContextOffsetsForTest&) = delete;

 private:
  ContextOffsets saved_;
};

}  // namespace dlsim::unicorn_layout_probe
