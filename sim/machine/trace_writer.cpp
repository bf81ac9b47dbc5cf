#include "sim/machine/trace_writer.h"

#include <capstone/capstone.h>

#include "cpu_model/code_decoder.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"

namespace dlsim {

TraceWriter::TraceWriter(Machine& m, const std::string& path, uint64_t limitBytes) : m_(m), limit_(limitBytes) {
  out_ = std::fopen(path.c_str(), "w");
  if (!out_) throw InputError("--trace " + path + ": cannot create the file");
  m_.platform().blockTrace = [this](int cpu, uint64_t a, uint32_t s) { block(cpu, a, s); };
}

TraceWriter::~TraceWriter() {
  m_.platform().blockTrace = nullptr;
  if (out_) std::fclose(out_);
}

void TraceWriter::block(int cpuIndex, uint64_t address, uint32_t size) {
  if (truncated_) return;
  if (limit_ != 0 && written_ >= limit_) {
    truncated_ = true;
    std::fprintf(out_, "# trace cut at %llu bytes (--trace-limit); the run went on\n",
                 static_cast<unsigned long long>(limit_));
    return;
  }
  DecodedCode code(m_.cpu(cpuIndex), address, size);
  if (!code.readable()) {
    written_ += std::fprintf(out_, "cpu%d 0x%08llx  <code not readable, %u bytes>\n", cpuIndex,
                 static_cast<unsigned long long>(address), size);
    return;
  }
  for (size_t i = 0; i < code.count(); ++i) {
    const cs_insn& in = code[i];
    char hexbuf[48] = {};
    size_t pos = 0;
    for (size_t b = 0; b < in.size && pos + 3 < sizeof hexbuf; ++b)
      pos += std::snprintf(hexbuf + pos, sizeof hexbuf - pos, "%02x ", in.bytes[b]);
    written_ += std::fprintf(out_, "cpu%d 0x%08llx  %-24s %s %s\n", cpuIndex, static_cast<unsigned long long>(in.address),
                 hexbuf, in.mnemonic, in.op_str);
  }
}

}  // namespace dlsim
