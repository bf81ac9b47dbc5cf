// D18F0 of one node (00:18+n.0), the northbridge's HyperTransport / data
// fabric configuration function: its identity and, on family 17h+ parts,
// MEMPROT_CR at 0x384 whose bit 0 MEMPROT_EN shows SKINIT's SLB protection
// on this node and releases it when software writes it 0 (SKL's dev.c;
// register semantics beyond bit 0 are not public and read 0). Every other
// register of the real function reads 0 and drops writes.
#pragma once
#include <cstdint>
#include <string>

#include "sim/pci/pci_function.h"
#include "svm_model/dev/sl_dev_protection.h"
#include "svm_model/northbridge/pci_header.h"

namespace dlsim::svm {

inline constexpr uint16_t kMemprotCr = 0x384;
inline constexpr uint32_t kMemprotEn = 1u << 0;

class AmdNbFunction0 : public PciFunction {
 public:
  AmdNbFunction0(unsigned node, uint16_t deviceId, bool hasMemprotCr, SlDevProtection& slb);
  std::string name() const override { return "amd-nb" + std::to_string(node_) + "-f0"; }
  uint32_t readConfig(const AccessContext& ctx, uint16_t offset, unsigned size) override;
  void writeConfig(const AccessContext& ctx, uint16_t offset, unsigned size, uint32_t value) override;

 private:
  uint32_t readDword(uint16_t offset) const;
  unsigned node_;
  PciHeader header_;
  bool hasMemprotCr_;
  SlDevProtection& slb_;
};

}  // namespace dlsim::svm
