// D18F3 of one node (00:18+n.3), the miscellaneous control function: its
// identity and, on parts with the legacy Device Exclusion Vector (family
// 10h-16h), the DEV capability (ID 0x0F at 0xF0, the only capability) with
// DEV_OP / DEV_DATA reaching the DEV registers (dev_registers.h). DEV_CR bit
// 5 SL_DEV_EN shows SKINIT's SLB protection on this node; writing it 0
// releases it (SKL's dev.c, read-modify-write). On family 17h+ parts the
// capability list is empty (SKL-A stops at the first node without it).
//
// The DEV registers are storage: the DEV bitmap's protection of memory
// (DEV_EN with DEV_BASE/DEV_MAP) is not modelled, so no DEV error is ever
// recorded and the error registers read 0.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/pci/pci_function.h"
#include "svm_model/dev/sl_dev_protection.h"
#include "svm_model/northbridge/dev_registers.h"
#include "svm_model/northbridge/pci_header.h"

namespace dlsim::svm {

class AmdNbFunction3 : public PciFunction {
 public:
  // `legacyDev` false: no DEV capability (domains and maps unused).
  AmdNbFunction3(unsigned node, uint16_t deviceId, bool legacyDev, uint8_t devDomains, uint8_t devMaps,
                 SlDevProtection& slb);
  std::string name() const override { return "amd-nb" + std::to_string(node_) + "-f3"; }
  uint32_t readConfig(const AccessContext& ctx, uint16_t offset, unsigned size) override;
  void writeConfig(const AccessContext& ctx, uint16_t offset, unsigned size, uint32_t value) override;
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  // Platform reset: DEV_OP and the DEV registers to 0.
  void reset();

  const dev::DevRegisters& devRegisters() const { return dev_; }
  uint32_t devOp() const { return devOp_; }

 private:
  uint32_t readDword(uint16_t offset) const;
  uint32_t readDev() const;
  void writeDev(uint32_t value);
  uint32_t devCap() const;

  unsigned node_;
  PciHeader header_;
  bool legacyDev_;
  SlDevProtection& slb_;
  uint32_t devOp_ = 0;
  dev::DevRegisters dev_;
};

}  // namespace dlsim::svm
