// Host-time probes: where dlsim's own host time goes during a run, for the
// benchmarks (bench/tboot_bench_main.cpp). Off unless a benchmark installs a
// HostProbeRecorder on its thread; then each probed scope adds one count and
// its host nanoseconds under its name, nested scopes split into self time
// (the scope's own) and total time.
//
// Determinism: the recorder only receives; nothing it holds flows back into
// the guest, the machine or the report. With no recorder installed a probe
// costs one thread-local load and a branch, and probes sit only on paths
// that already leave the engine (interceptions, device accesses, TPM
// commands): never on the per-block fast path (cpu_model/engine.h).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dlsim {

struct HostProbeFigure {
  uint64_t count = 0;
  uint64_t selfNs = 0;   // wall: inside this scope, less the probed scopes nested in it
  uint64_t totalNs = 0;  // wall: inside this scope
};

class HostProbeRecorder {
 public:
  // Figures by "area/name" (e.g. "device/tpm-tis", "intercept/rdmsr").
  std::map<std::string, HostProbeFigure, std::less<>> figures;
  // Scopes opened while this recorder was installed.
  uint64_t scopes = 0;

  void enter();
  void leave(std::string_view area, std::string_view name);

 private:
  struct Open {
    uint64_t startNs;
    uint64_t childNs;
  };
  std::vector<Open> open_;
};

namespace host_probe {

// The recorder of this thread (null: probes do nothing).
inline thread_local HostProbeRecorder* tlsRecorder = nullptr;

// Installs `r` for this thread until destroyed (restores the previous one).
class Install {
 public:
  explicit Install(HostProbeRecorder* r) : previous_(tlsRecorder) { tlsRecorder = r; }
  ~Install() { tlsRecorder = previous_; }
  Install(const Install&) = delete;
  Install& operator=(const Install&) = delete;

 private:
  HostProbeRecorder* previous_;
};

// Monotonic host nanoseconds (only read while a recorder is installed). Wall
// time, from the vDSO: a thread's CPU clock costs a system call per read,
// which cost ~3 us a scope and swamped what it measured.
uint64_t nowNs();

}  // namespace host_probe

// One probed scope. `area` and a fixed `name` must outlive the scope (string
// literals); NamedScope takes a name that is only built when recording.
class HostProbeScope {
 public:
  HostProbeScope(const char* area, const char* name) : r_(host_probe::tlsRecorder), area_(area), name_(name) {
    if (r_) r_->enter();
  }
  ~HostProbeScope() {
    if (r_) r_->leave(area_, name_);
  }
  HostProbeScope(const HostProbeScope&) = delete;
  HostProbeScope& operator=(const HostProbeScope&) = delete;

 private:
  HostProbeRecorder* r_;
  const char* area_;
  const char* name_;
};

// A scope whose name comes from a function called only when a recorder is
// installed (device names, instruction mnemonics).
template <typename NameFn>
class HostProbeNamedScope {
 public:
  HostProbeNamedScope(const char* area, NameFn name) : r_(host_probe::tlsRecorder), area_(area), name_(name) {
    if (r_) r_->enter();
  }
  ~HostProbeNamedScope() {
    if (r_) r_->leave(area_, name_());
  }
  HostProbeNamedScope(const HostProbeNamedScope&) = delete;
  HostProbeNamedScope& operator=(const HostProbeNamedScope&) = delete;

 private:
  HostProbeRecorder* r_;
  const char* area_;
  NameFn name_;
};

}  // namespace dlsim
