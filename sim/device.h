// The Device interface: everything on the MMIO or port bus implements it.
// Devices know nothing about Unicorn. Offsets arrive relative to the base the
// device was mapped at; who made the access travels in AccessContext (never in
// a global). Accesses arrive in sizes 1, 2, 4 or 8 bytes exactly as the guest
// made them; a device that supports fewer sizes says so through accepts().
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

// Who is asking.
struct AccessContext {
  static constexpr int kNoCpu = -1;
  int cpu = kNoCpu;       // logical CPU index, or kNoCpu for a device/DMA/host access
  uint64_t address = 0;   // absolute guest physical address or port number
  int locality = -1;      // TPM locality when the platform knows it (launch microcode: 4)
};

class Device {
 public:
  virtual ~Device() = default;
  // Short stable name used in reports and error messages ("uart0", "lapic").
  virtual std::string name() const = 0;

  virtual uint64_t read(const AccessContext& ctx, uint64_t offset, unsigned size) = 0;
  virtual void write(const AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) = 0;

  // Device state for machine snapshots. A stateless device keeps the defaults.
  virtual std::vector<uint8_t> saveState() const { return {}; }
  virtual void restoreState(std::span<const uint8_t> /*state*/) {}
};

}  // namespace dlsim
