// Names of the scenario enums and the entry -> BootState conversion.
#include "sim/scenario/scenario.h"

namespace dlsim {

const char* cpuVendorName(CpuVendor v) {
  switch (v) {
    case CpuVendor::Intel: return "intel";
    case CpuVendor::Amd: return "amd";
  }
  return "?";
}

const char* loadTypeName(LoadType t) {
  switch (t) {
    case LoadType::Flat: return "flat";
    case LoadType::Elf: return "elf";
    case LoadType::Multiboot1: return "multiboot1";
    case LoadType::Multiboot2: return "multiboot2";
    case LoadType::BzImage: return "bzimage";
  }
  return "?";
}

BootState EntrySpec::toBootState() const {
  BootState b;
  b.mode = mode;
  b.registers = registers;
  if (mode == EntryMode::Real) {
    if (cs) {
      b.realModeCs = *cs;
      b.entry = address;
    } else {
      b.realModeCs = static_cast<uint16_t>(address >> 4);
      b.entry = address & 0xf;
    }
  } else {
    b.entry = address;
  }
  return b;
}

}  // namespace dlsim
