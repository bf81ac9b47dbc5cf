#include "sim/machine/trace_writer.h"

#include <capstone/capstone.h>

#include "cpu_model/code_decoder.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/symbol_map.h"

namespace dlsim {

namespace {

std::string hexBytes(const uint8_t* b, size_t n) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x ", b[i]);
    s += buf;
  }
  return s;
}

}  // namespace

// "cpuN 0xADDRESS  TEXT", or with symbols "cpuN 0xADDRESS <symbol+0x12>  TEXT"
// (no <> where no symbol is near).
std::string TraceWriter::format(const Line& l) const {
  char head[40];
  std::snprintf(head, sizeof head, "cpu%d 0x%08llx", l.cpu, static_cast<unsigned long long>(l.address));
  std::string out = head;
  if (symbols_) {
    const std::string sym = symbols_->describe(l.address);
    if (!sym.empty()) out += " <" + sym + ">";
  }
  out += "  ";
  out += l.text;
  out += '\n';
  return out;
}

TraceWriter::TraceWriter(Machine& m, const std::string& path, uint64_t limitBytes, const SymbolMap* symbols)
    : m_(m), symbols_(symbols), limit_(limitBytes) {
  out_ = std::fopen(path.c_str(), "w");
  if (!out_) throw InputError("--trace " + path + ": cannot create the file");
  // The engine calls this at a block start, before it counts the block.
  m_.platform().blockTrace = [this](int cpu, uint64_t a, uint32_t s) { block(cpu, a, s); };
}

TraceWriter::~TraceWriter() {
  m_.platform().blockTrace = nullptr;
  flush();
  if (out_) std::fclose(out_);
}

// The virtual time counts retired instructions; the engine counts a block
// whole when it starts and takes back, before the next block starts, every
// instruction of it that did not retire. So the time that passed since the
// last block started is the number of its instructions that ran.
void TraceWriter::flush() {
  const uint64_t now = m_.platform().time;
  const uint64_t ran = now >= pendingStart_ ? now - pendingStart_ : 0;
  for (size_t i = 0; i < pending_.size() && i < ran && !truncated_; ++i) write(format(pending_[i]));
  pending_.clear();
  pendingStart_ = now;
}

// Writes one line unless the size limit is reached; the first line over the
// limit is replaced by one that says where the trace was cut.
void TraceWriter::write(const std::string& text) {
  if (truncated_) return;
  if (limit_ != 0 && written_ + text.size() > limit_) {
    truncated_ = true;
    std::fprintf(out_, "# trace cut at %llu bytes (--trace-limit); the run went on\n",
                 static_cast<unsigned long long>(limit_));
    return;
  }
  std::fputs(text.c_str(), out_);
  written_ += text.size();
}

void TraceWriter::block(int cpuIndex, uint64_t address, uint32_t size) {
  flush();
  // Decoded now: the block may change the code size (a far jump) or its own
  // bytes before it is written.
  DecodedCode code(m_.cpu(cpuIndex), address, size);
  if (!code.readable()) {
    pending_.push_back({cpuIndex, address, "<code not readable, " + std::to_string(size) + " bytes>"});
    return;
  }
  uint64_t decoded = 0;
  for (size_t i = 0; i < code.count(); ++i) {
    const cs_insn& in = code[i];
    decoded += in.size;
    char text[256];
    std::snprintf(text, sizeof text, "%-24s %s %s", hexBytes(in.bytes, in.size).c_str(), in.mnemonic, in.op_str);
    pending_.push_back({cpuIndex, in.address, text});
  }
  if (decoded < size) {
    // The engine counts undecodable bytes as one instruction (Engine::discover).
    std::vector<uint8_t> rest(size - decoded);
    m_.cpu(cpuIndex).readLinear(address + decoded, rest.data(), rest.size());
    std::string bytes = hexBytes(rest.data(), rest.size());
    bytes.pop_back();  // the last separator
    pending_.push_back({cpuIndex, address + decoded, "<not decoded: " + bytes + ">"});
  }
}

}  // namespace dlsim
