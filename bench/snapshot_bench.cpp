// Snapshot-restore cost and run/restore determinism (see snapshot_bench.h).
#include "bench/snapshot_bench.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>

#include "bench/bench_machine.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double medianOf(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// RAM content by page: only pages that are not all zero are kept.
using PageImage = std::map<uint64_t, std::vector<uint8_t>>;

bool allZero(const uint8_t* p) {
  static const uint8_t zero[kPageSize] = {};
  return std::memcmp(p, zero, kPageSize) == 0;
}

PageImage captureNonZeroPages(const GuestMemory& mem) {
  PageImage img;
  for (const RamRegion& r : mem.regions())
    for (uint64_t off = 0; off < r.size; off += kPageSize)
      if (!allZero(r.host + off)) img[r.base + off].assign(r.host + off, r.host + off + kPageSize);
  return img;
}

// Pages whose content differs from `before` (absent = all zero).
uint64_t countChangedPages(const GuestMemory& mem, const PageImage& before) {
  uint64_t n = 0;
  for (const RamRegion& r : mem.regions())
    for (uint64_t off = 0; off < r.size; off += kPageSize) {
      const uint8_t* p = r.host + off;
      auto it = before.find(r.base + off);
      const bool same = it == before.end() ? allZero(p) : std::memcmp(p, it->second.data(), kPageSize) == 0;
      n += same ? 0 : 1;
    }
  return n;
}

// What a run leaves that must not differ between repetitions.
struct EndState {
  std::vector<uint8_t> result;
  std::vector<uint64_t> regs;
  // Not Platform::intercepted: Machine::restore leaves that statistics
  // counter alone, so it keeps counting across cycles.
  uint64_t retired = 0, time = 0, traceHash = 0;
  bool operator==(const EndState&) const = default;
};

EndState endState(Machine& m) {
  EndState s;
  s.result = benchMachineResult(m);
  for (Reg r : {Reg::Rax, Reg::Rbx, Reg::Rcx, Reg::Rdx, Reg::Rsi, Reg::Rdi, Reg::Rbp, Reg::Rsp, Reg::Rip,
                Reg::Rflags})
    s.regs.push_back(m.cpu(0).reg(r));
  s.retired = m.cpu(0).retired();
  s.time = m.platform().time;
  s.traceHash = m.platform().traceHash;
  return s;
}

const char* const kRegNames[] = {"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip", "eflags"};

// The fields where a differs from b, as "name a/b".
std::string differences(const EndState& a, const EndState& b) {
  std::string d;
  auto add = [&](const std::string& name, const std::string& x, const std::string& y) {
    if (x != y) d += (d.empty() ? "" : ", ") + name + " " + x + " vs " + y;
  };
  add("result", benchHex(a.result), benchHex(b.result));
  for (size_t i = 0; i < a.regs.size() && i < b.regs.size(); ++i) add(kRegNames[i], hex(a.regs[i]), hex(b.regs[i]));
  add("retired", std::to_string(a.retired), std::to_string(b.retired));
  add("virtual time", std::to_string(a.time), std::to_string(b.time));
  add("trace hash", hex(a.traceHash), hex(b.traceHash));
  return d;
}

}  // namespace

double SnapshotBenchResult::medianRestoreMicros() const { return medianOf(restoreMicros); }
double SnapshotBenchResult::medianRestoreCpuMicros() const { return medianOf(restoreCpuMicros); }

SnapshotBenchResult measureSnapshotRestore(const BenchGuest& g, uint64_t ramBytes, int cycles) {
  SnapshotBenchResult out;
  out.guest = g.name;
  out.ramBytes = ramBytes;
  out.cycles = cycles;
  std::unique_ptr<Machine> m = makeBenchMachine(g, 1, false, {{0, ramBytes, "ram"}});

  auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<Machine::Snapshot> snap = m->snapshot();
  out.snapshotMicros = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  // After snapshot(), so its cost is not inflated by the page-table entries
  // this scan's reads create (reads do not dirty pages).
  const PageImage before = captureNonZeroPages(m->memory());
  const EndState start = endState(*m);

  // Problem text -> the cycles (1-based) it occurred in, reported once each.
  std::map<std::string, std::vector<int>> seen;
  std::optional<EndState> first;
  for (int i = 0; i < cycles; ++i) {
    auto note = [&](const std::string& what) { seen[what].push_back(i + 1); };
    const double r0 = threadCpuSeconds();
    t0 = std::chrono::steady_clock::now();
    const StopInfo stop = m->run();
    out.runSeconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    out.runCpuSeconds.push_back(threadCpuSeconds() - r0);
    // A failed or wrong run is recorded and the cycle goes on: the restore
    // after it is still timed and checked.
    bool ranToEnd = true;
    try {
      checkBenchRunEnd(*m, g, stop, false);
    } catch (const std::exception& e) {
      note(e.what());
      ranToEnd = false;
    }
    const EndState end = endState(*m);
    if (ranToEnd && end.result != g.expectedResult)
      note("result " + benchHex(end.result) + " != reference " + benchHex(g.expectedResult));
    if (!ranToEnd) {
      // nothing to compare with the first run
    } else if (!first) {
      first = end;
      out.changedPages = countChangedPages(m->memory(), before);
    } else if (!(end == *first)) {
      note("run differs from the first run: " + differences(end, *first));
    }

    const double c0 = threadCpuSeconds();
    t0 = std::chrono::steady_clock::now();
    m->restore(*snap);
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = threadCpuSeconds();
    out.restoreMicros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    out.restoreCpuMicros.push_back((c1 - c0) * 1e6);

    if (const uint64_t left = countChangedPages(m->memory(), before))
      note(std::to_string(left) + " RAM pages differ from the snapshot after restore");
    const EndState back = endState(*m);
    if (!(back == start))
      note("state after restore differs from the state at snapshot(): " + differences(back, start));
  }
  for (const auto& [what, when] : seen) {
    std::string list;
    for (size_t k = 0; k < when.size(); ++k) {
      if (k == 5) {
        list += ", ... (" + std::to_string(when.size()) + " cycles)";
        break;
      }
      list += (k ? ", " : "") + std::to_string(when[k]);
    }
    out.problems.push_back((when.size() == 1 ? "cycle " : "cycles ") + list + ": " + what);
  }
  return out;
}

double measureFreshMachineMicros(const BenchGuest& g, uint64_t ramBytes, int repeats) {
  std::vector<double> us;
  std::unique_ptr<Machine> m = makeBenchMachine(g, 1, false, {{0, ramBytes, "ram"}});
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    m.reset();
    m = makeBenchMachine(g, 1, false, {{0, ramBytes, "ram"}});
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  return medianOf(us);
}

}  // namespace dlsim
