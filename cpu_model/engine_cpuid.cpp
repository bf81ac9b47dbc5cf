#include "cpu_model/engine_cpuid.h"

#include <unicorn/unicorn.h>

#include "sim/errors.h"

namespace dlsim {

namespace {
CpuidLeafMap query() {
  uc_engine* uc = nullptr;
  if (uc_open(UC_ARCH_X86, UC_MODE_32, &uc) != UC_ERR_OK) throw InternalError("Unicorn: uc_open failed");
  CpuidLeafMap out;
  const uint8_t code[] = {0x0f, 0xa2, 0xf4};  // cpuid; hlt
  uc_mem_map(uc, 0x1000, 0x1000, UC_PROT_ALL);
  uc_mem_write(uc, 0x1000, code, sizeof code);
  const std::pair<uint32_t, uint32_t> leaves[] = {{0, 0}, {1, 0}, {7, 0}, {0x80000000, 0}, {0x80000001, 0},
                                                  {0x80000007, 0}};
  for (auto [leaf, sub] : leaves) {
    uint32_t a = leaf, c = sub, zero = 0;
    uc_reg_write(uc, UC_X86_REG_EAX, &a);
    uc_reg_write(uc, UC_X86_REG_ECX, &c);
    uc_reg_write(uc, UC_X86_REG_EBX, &zero);
    uc_reg_write(uc, UC_X86_REG_EDX, &zero);
    if (uc_emu_start(uc, 0x1000, 0x1002, 0, 0) != UC_ERR_OK) continue;
    CpuidLeaf l;
    uc_reg_read(uc, UC_X86_REG_EAX, &l.eax);
    uc_reg_read(uc, UC_X86_REG_EBX, &l.ebx);
    uc_reg_read(uc, UC_X86_REG_ECX, &l.ecx);
    uc_reg_read(uc, UC_X86_REG_EDX, &l.edx);
    out[{leaf, sub}] = l;
  }
  uc_close(uc);
  return out;
}
}  // namespace

const CpuidLeafMap& engineCpuid() {
  static const CpuidLeafMap leaves = query();
  return leaves;
}

}  // namespace dlsim
