// `--trace FILE`: every executed basic block of every CPU, instruction by
// instruction with Capstone disassembly, in execution order:
//   cpu0 0x00007c00  b8 34 12              mov ax, 0x1234
// Blocks are listed whole when they start (a block cut short by a fault is
// listed up to its end). Deterministic like the run itself. The file is cut
// at a size limit (--trace-limit) with a last line saying so; the run goes on.
// Format: docs/trace-format.md.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

namespace dlsim {

class Machine;

class TraceWriter {
 public:
  static constexpr uint64_t kDefaultLimitBytes = uint64_t(1) << 30;  // 1 GiB

  // Throws InputError when the file cannot be created. `limitBytes` 0: no limit.
  TraceWriter(Machine& m, const std::string& path, uint64_t limitBytes = kDefaultLimitBytes);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  bool truncated() const { return truncated_; }
  uint64_t limitBytes() const { return limit_; }

 private:
  void block(int cpu, uint64_t address, uint32_t size);
  Machine& m_;
  std::FILE* out_ = nullptr;
  uint64_t limit_, written_ = 0;
  bool truncated_ = false;
};

}  // namespace dlsim
