// One TXT configuration register space (public or private) as a bus
// Device. An access of 1, 2, 4 or 8 bytes at any offset, aligned or not,
// is cut into the 8-byte register slots it touches; each slot is read or
// written once through the chipset (txt_chipset.h), so a 4-byte read of
// the upper half of DIDVID or a 1-byte command write acts as real code
// expects. Bytes past the 64 KiB window read all ones.
#pragma once
#include <cstdint>
#include <string>

#include "sim/device.h"

namespace dlsim::txt {

class TxtChipset;
enum class TxtSpace;

class TxtConfigSpace final : public Device {
 public:
  TxtConfigSpace(TxtChipset& chipset, TxtSpace space);
  std::string name() const override;
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;
  // The chipset holds the state (its own snapshot part); the window is stateless.

 private:
  TxtChipset& chipset_;
  TxtSpace space_;
};

}  // namespace dlsim::txt
