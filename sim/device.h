// The Device interface: everything on the MMIO or port bus implements it.
// Devices know nothing about Unicorn. Offsets arrive relative to the base the
// device was mapped at; who made the access travels in AccessContext (never in
// a global). Each guest access arrives once, in the size (1, 2, 4 or 8 bytes)
// and at the address, aligned or not, its instruction used
// (cpu_model/engine_mmio.h tells how; the exceptions are listed there).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

// Who makes an access: a CPU's instruction, a bus master's DMA (by its
// requester id, e.g. a PCI bus/device/function) or the platform itself
// (launch microcode, chipset logic in a model: TXT's locality-4 writes).
enum class Requester : uint8_t { kCpu = 0, kDma = 1, kPlatform = 2 };

// Who is asking.
struct AccessContext {
  static constexpr int kNoCpu = -1;
  int cpu = kNoCpu;       // logical CPU index, or kNoCpu for a device/DMA/host access
  uint64_t address = 0;   // absolute guest physical address or port number
  int locality = -1;      // TPM locality when the platform knows it (launch microcode: 4)
  Requester requester = Requester::kCpu;
  uint32_t requesterId = 0;  // the DMA requester id when requester == kDma

  static AccessContext fromCpu(int cpu, int locality = -1) {
    AccessContext c;
    c.cpu = cpu;
    c.locality = locality;
    return c;
  }
  // A model's own access (locality 3 or 4 for TPM launch traffic).
  static AccessContext fromPlatform(int locality = -1) {
    AccessContext c;
    c.requester = Requester::kPlatform;
    c.locality = locality;
    return c;
  }
  static AccessContext fromDma(uint32_t requesterId) {
    AccessContext c;
    c.requester = Requester::kDma;
    c.requesterId = requesterId;
    return c;
  }
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
