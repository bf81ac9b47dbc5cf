// `--trace FILE`: every instruction that ran (retired), of every CPU, in
// execution order, one line each, with Capstone disassembly:
//   cpu0 0x00007c00  b8 34 12                 mov ax, 0x1234
// Instruction lines are exactly the retired instructions: their count per
// CPU equals the report's `instructions` of that CPU. A block is decoded
// when it starts (in the code size the CPU runs then) but written only when
// the next block starts or the run ends, and then only as far as it ran:
// the instructions after a fault, after an emulated instruction that ended
// its block, or after a stop are left out (they are listed again if and when
// they run, in the block that runs them). A faulting instruction does not
// retire and is not listed. Bytes Capstone cannot decode are one line
// `<not decoded: BYTES>`; code that cannot be read, `<code not readable, N
// bytes>`: each counts as one instruction, as the engine counts it.
// Deterministic like the run itself. The file is cut at a size limit
// (--trace-limit) with a last line saying so; the run goes on.
// With a symbol map, each instruction line also names the symbol+offset of
// its address (looked up when the line is written, never in the engine's
// block hook); without one the lines are byte for byte as before.
// Format: docs/trace-format.md.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace dlsim {

class Machine;
class SymbolMap;

class TraceWriter {
 public:
  static constexpr uint64_t kDefaultLimitBytes = uint64_t(1) << 30;  // 1 GiB

  // Throws InputError when the file cannot be created. `limitBytes` 0: no limit.
  // `symbols` (may be null) must outlive the writer.
  TraceWriter(Machine& m, const std::string& path, uint64_t limitBytes = kDefaultLimitBytes,
              const SymbolMap* symbols = nullptr);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Writes the block that started last, as far as it ran. Called at every
  // block start and at the end; call it before anything sets the virtual
  // time back (a snapshot restore).
  void flush();

  bool truncated() const { return truncated_; }
  uint64_t limitBytes() const { return limit_; }

 private:
  void block(int cpu, uint64_t address, uint32_t size);
  void write(const std::string& line);
  struct Line {
    int cpu;
    uint64_t address;
    std::string text;  // after the address
  };
  std::string format(const Line& l) const;
  Machine& m_;
  const SymbolMap* symbols_;
  std::FILE* out_ = nullptr;
  uint64_t limit_, written_ = 0;
  bool truncated_ = false;
  // The block that started last: its lines (one per instruction, as the
  // engine counts them) and the virtual time before it was counted.
  std::vector<Line> pending_;
  uint64_t pendingStart_ = 0;
};

}  // namespace dlsim
