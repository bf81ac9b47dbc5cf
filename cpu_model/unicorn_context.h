// Access to two fields of Unicorn 2.1.1's saved CPU context that its API does
// not expose but a platform delivering its own exceptions needs:
//  - env->error_code (the error code of the exception just raised) and
//    env->exception_is_int (INT n vs fault);
//  - env->old_exception ("exception in flight"), which Unicorn clears only in
//    the IDT delivery it skips: left set, the next fault becomes #DF and the
//    engine halts. We reset it after every exception we take over.
// Offsets follow CPUX86State in Unicorn 2.1.1 (qemu/target/i386/cpu.h): the
// saved context ends at `retaddr`; old_exception sits 64 bytes before that end
// and error_code 112 bytes before old_exception (measured with probes that
// raise #GP(0x38) and INT 0x21; cpu_model/unicorn_layout_probe.h repeats
// that measurement at start-up and refuses to run where it fails).
#pragma once
#include <unicorn/unicorn.h>

#include <cstddef>
#include <cstdint>

namespace dlsim {

struct ExceptionInfo {
  uint32_t errorCode = 0;
  bool software = false;  // raised by INT n / INT3 / INTO
};

// Where the three fields sit, counted back from the end of the saved state.
struct ContextOffsets {
  size_t oldExceptionFromEnd = 64;
  size_t errorCodeFromEnd = 64 + 112;
  size_t isIntFromEnd = 64 + 108;
};
const ContextOffsets& contextOffsets();
// Test seam: makes takeExceptionInfo read elsewhere (to show that the
// start-up probe catches offsets that do not fit the library).
void setContextOffsetsForTest(const ContextOffsets& offsets);

// The saved context's header has Unicorn 2.1.1's shape and a fresh engine's
// exception-in-flight field holds "none" (-1) where dlsim expects it.
bool contextHeaderLooksRight(uc_engine* fresh);

// Reads error code and INT-n flag of the exception just raised and clears the
// engine's exception-in-flight state. `scratch` is a context allocated for `uc`.
ExceptionInfo takeExceptionInfo(uc_engine* uc, uc_context* scratch);

}  // namespace dlsim
