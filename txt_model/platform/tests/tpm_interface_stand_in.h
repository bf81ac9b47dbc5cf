// A device decoding the TPM interface window (0xFED40000, five localities)
// for machine-level TXT tests that install no TPM model: GETSEC[SENTER]
// checks only that the chipset has a TPM interface (rule
// getsec.senter.tpm-present), and these tests stop before any TPM traffic.
#pragma once
#include <cstdint>
#include <string>

#include "sim/bus.h"
#include "sim/device.h"

namespace dlsim::txt {

class TpmInterfaceStandIn : public Device {
 public:
  static constexpr uint64_t kBase = 0xFED40000;
  static constexpr uint64_t kSize = 0x5000;
  std::string name() const override { return "tpm-interface-stand-in"; }
  uint64_t read(const AccessContext&, uint64_t, unsigned) override { return ~0ull; }
  void write(const AccessContext&, uint64_t, unsigned, uint64_t) override {}
  void attach(Bus& bus) { bus.mapMmio(kBase, kSize, this); }
};

}  // namespace dlsim::txt
