#include "svm_model/handoff/handoff_boot_info.h"

namespace dlsim::svm {

std::vector<FieldBlock> encodeZeroPage(const HandoffDesc& d, uint64_t setupData) {
  std::vector<FieldBlock> out;
  FieldBlock z("boot_params", d.bootParamsBase);
  z.reserve(kZeroPageSize);
  bool hasCmdline = !d.cmdline.empty();
  uint64_t cmdlineBase = d.bootParamsBase + kZeroPageSize;
  z.number("boot_params.hdr.boot_flag", 0x1FE, 2, 0xAA55);
  z.number("boot_params.hdr.header", 0x202, 4, 0x53726448);  // "HdrS"
  z.number("boot_params.hdr.version", 0x206, 2, 0x020F);
  z.number("boot_params.hdr.type_of_loader", 0x210, 1, 0xFF);
  z.number("boot_params.hdr.code32_start", 0x214, 4, d.kernelBase);
  z.number("boot_params.hdr.cmd_line_ptr", 0x228, 4, hasCmdline ? cmdlineBase : 0);
  z.number("boot_params.hdr.cmdline_size", 0x238, 4, hasCmdline ? d.cmdline.size() + 1 : 0);
  z.number("boot_params.setup_data", 0x250, 8, setupData);
  out.push_back(std::move(z));
  if (hasCmdline) {
    FieldBlock c("cmdline", cmdlineBase);
    c.text("cmdline.text", 0, uint32_t(d.cmdline.size() + 1), d.cmdline);
    out.push_back(std::move(c));
  }
  return out;
}

FieldBlock encodeMultiboot2Info(const HandoffDesc& d) {
  FieldBlock m("mbi", d.bootParamsBase);
  uint32_t o = 8;
  if (!d.cmdline.empty()) {
    uint32_t size = 8 + uint32_t(d.cmdline.size()) + 1;
    m.number("mbi.cmdline.type", o, 4, 1);
    m.number("mbi.cmdline.size", o + 4, 4, size);
    m.text("mbi.cmdline.string", o + 8, size - 8, d.cmdline);
    o += (size + 7) & ~7u;  // tags are 8-byte aligned
  }
  m.number("mbi.load_base_addr.type", o, 4, 21);
  m.number("mbi.load_base_addr.size", o + 4, 4, 12);
  m.number("mbi.load_base_addr", o + 8, 4, d.kernelBase);
  o += 16;
  m.number("mbi.end.type", o, 4, 0);
  m.number("mbi.end.size", o + 4, 4, 8);
  o += 8;
  m.number("mbi.total_size", 0, 4, o);
  m.number("mbi.reserved", 4, 4, 0);
  return m;
}

}  // namespace dlsim::svm
