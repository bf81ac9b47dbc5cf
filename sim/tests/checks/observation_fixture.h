// A hand-built Observation with a small sparse RAM, shared by the check and
// report tests.
#pragma once
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "sim/observation.h"

namespace dlsim::testing {

// RAM regions keyed by base; readMemory succeeds only inside one region.
struct FakeRam {
  std::map<uint64_t, std::vector<uint8_t>> regions;
  bool read(uint64_t gpa, void* dst, size_t len) const {
    for (const auto& [base, bytes] : regions) {
      if (gpa >= base && len <= bytes.size() && gpa - base <= bytes.size() - len) {
        std::memcpy(dst, bytes.data() + (gpa - base), len);
        return true;
      }
    }
    return false;
  }
};

inline Observation makeObservation(std::shared_ptr<FakeRam> ram) {
  Observation o;
  o.stop.reason = "all-cpus-halted";
  o.stop.cpu = 0;
  o.stop.address = 0x7c20;
  o.stop.detail = "all CPUs halted";
  o.instructions = 1234;
  o.traceHash = "00112233";
  CpuObservation c0;
  c0.id = 0;
  c0.state = "halted";
  c0.mode = "long";
  c0.registers = {{"rax", 0xffffffff12345678ull}, {"rip", 0x7c20}, {"cr0", 0x80000011}, {"rflags", 0x246}};
  c0.instructions = 1000;
  CpuObservation c1;
  c1.id = 1;
  c1.state = "wait-for-sipi";
  c1.mode = "real";
  c1.registers = {{"rax", 0}, {"rip", 0xfff0}};
  c1.instructions = 234;
  o.cpus = {c0, c1};
  o.serial["com1"] = "booting\nHello, world\nboot ok\n";
  o.vga = "dlsim OK";
  o.events = {"unclaimed port write 0x80"};
  o.readMemory = [ram](uint64_t gpa, void* dst, size_t len) { return ram->read(gpa, dst, len); };
  return o;
}

}  // namespace dlsim::testing
