// `--trace FILE`: every executed basic block of every CPU, instruction by
// instruction with Capstone disassembly, in execution order:
//   cpu0 0x00007c00  b8 34 12              mov ax, 0x1234
// Blocks are listed whole when they start (a block cut short by a fault is
// listed up to its end). Deterministic like the run itself.
#pragma once
#include <cstdio>
#include <string>

namespace dlsim {

class Machine;

class TraceWriter {
 public:
  // Throws InputError when the file cannot be created.
  TraceWriter(Machine& m, const std::string& path);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

 private:
  void block(int cpu, uint64_t address, uint32_t size);
  Machine& m_;
  std::FILE* out_ = nullptr;
};

}  // namespace dlsim
