// The VGA CRT controller's register pair in colour mode: the index register
// at port 0x3D4 and the data register at 0x3D5 (IBM VGA: CRTC Address and
// Data registers; CR00-CR18). Text-mode drivers program the display start
// address (CR0C/CR0D: tboot's vga.c at every screen reset) and the cursor
// (CR0A/CR0B shape, CR0E/CR0F location) here. dlsim draws no screen from
// these registers (the report's `vga` is the text buffer at 0xB8000); the
// device exists so the writes are claimed and the registers read back what
// was written, as a driver that reads-modify-writes them expects.
//
// - Index (offset 0): the 8 bits written read back.
// - Data (offset 1): CR00-CR18 read and write the register the index
//   selects; an index above 0x18 selects nothing: reads 0xFF, writes dropped.
//   CR11 bit 7 (Protect) makes CR00-CR07 read-only except CR07 bit 4 (Line
//   Compare bit 8), as on the VGA.
// - A 2-byte access at the index (`outw 0x3D4`, the usual idiom) writes the
//   index with bits 7:0 and the selected register with bits 15:8, and reads
//   both. Other sizes: each byte in turn from the access's offset; bytes
//   beyond offset 1 read 0xFF and are dropped.
// - Registers start at 0 (the BIOS's mode-3 programming is not modelled);
//   the mono alias at 0x3B4/0x3B5 and the Miscellaneous Output register that
//   selects it are not modelled.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/device.h"

namespace dlsim {

class VgaCrtc : public Device {
 public:
  static constexpr uint16_t kIndexPort = 0x3D4;  // mapped with 2 ports: index, data
  static constexpr unsigned kRegisters = 0x19;   // CR00-CR18

  std::string name() const override { return "vga-crtc"; }
  uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) override;
  void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override;
  std::vector<uint8_t> saveState() const override;
  void restoreState(std::span<const uint8_t> state) override;

  uint8_t index() const { return index_; }
  uint8_t reg(unsigned i) const { return i < kRegisters ? regs_[i] : 0xFF; }

 private:
  uint8_t readByte(uint64_t offset) const;
  void writeByte(uint64_t offset, uint8_t v);

  uint8_t index_ = 0;
  std::array<uint8_t, kRegisters> regs_{};
};

}  // namespace dlsim
