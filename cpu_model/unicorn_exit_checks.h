// Unicorn 2.1.1 compiles an exit-request check (a load and a branch) after
// every guest load and store and after every code hook, so that a stop asked
// for inside a callback takes effect before the next instruction. On the
// bench guests those checks are about a tenth of the host instructions.
//
// dlsim needs them in two places only, and keeps them there:
// - after a code hook (a special instruction emulated in its hook ends the
//   block by writing the IP): a block holding one is translated with checks
//   (see Engine::afterTranslation);
// - after a store to unmapped memory (Unicorn only requests the stop): the
//   engine's unmapped-access hook leaves the block itself (leaveBlock).
// A stop asked for from an MMIO or port callback takes effect at the next
// block start instead, which is where dlsim ends quanta anyway.
//
// The switch is Unicorn's private `no_exit_request` flag, read while a block
// is translated. Its offset in struct uc_struct, like the CPU pointer's, is a
// fact of the Debian 2.1.1 build (read from check_exit_request_x86_64 and
// uc_emu_stop in libunicorn.so.2); available() checks the exact build (its
// GNU build ID), the neighbouring fields and the behaviour on probe engines
// before any engine uses it, and engines keep every check when it says no.
#pragma once

#include <unicorn/unicorn.h>

namespace dlsim::unicorn_exit_checks {

// Whether engines opened from now on use the switch: the Unicorn build is
// the pinned one (cpu_model/unicorn_build.h), it passed the probes (decided
// once), and the switch is not forced off. Without it every block keeps
// Unicorn's checks: slower, never different (guest state, instruction
// counts, trace hash and report agree; CI compares every scenario's report).
bool available();

// Forced off by the environment (DLSIM_EXIT_CHECKS=off) or setForcedOff.
bool forcedOff();
// For tests: forces the switch off (or lets it be used) for engines opened
// from now on.
void setForcedOff(bool off);

// Blocks translated from now on by this engine get (false) or skip (true)
// the checks. Only call when available().
void setSuppressed(uc_engine* uc, bool suppressed);

// From inside a memory callback of a running engine: ends the running block
// at once, with the guest state as the current memory access left it (as
// Unicorn does itself after an unmapped read), and stops the engine. Only
// call when available().
[[noreturn]] void leaveBlock(uc_engine* uc);

}  // namespace dlsim::unicorn_exit_checks
