// How the local APIC reaches other CPUs. The machine implements IpiSink; the
// LAPIC model calls it when the guest writes the ICR. Delivery is immediate in
// virtual time (the target sees it before it runs its next instruction).
#pragma once
#include <cstdint>
#include <functional>

namespace dlsim {

class IpiSink {
 public:
  virtual ~IpiSink() = default;
  virtual int cpuCount() const = 0;
  // INIT: the target enters wait-for-SIPI (the BSP too, as on hardware).
  // Returns false when the INIT was not delivered (a platform model's IPI
  // filter took it): the caller then leaves the target's APIC untouched too.
  virtual bool deliverInit(int targetCpu) = 0;
  // Start-up IPI: a CPU in wait-for-SIPI starts in real mode at vector << 12
  // (CS = vector << 8, IP = 0). Ignored by a CPU not in wait-for-SIPI.
  virtual void deliverSipi(int targetCpu, uint8_t vector) = 0;
  // A fixed interrupt: the vector is made pending on the target and delivered
  // through its IDT when interrupts are enabled; wakes a halted/mwait CPU.
  virtual void deliverFixed(int targetCpu, uint8_t vector) = 0;
  // NMI.
  virtual void deliverNmi(int targetCpu) = 0;
};

enum class IpiKind { Init, Sipi, Fixed, Nmi };

// A platform model's look at an IPI before it is delivered (Machine::
// addIpiFilter): return false when the model took it itself, e.g. AMD's INIT
// redirection (an #SX exception instead while VM_CR.R_INIT is set) or an
// interrupt held while GIF is clear. `vector`: the SIPI or fixed vector.
using IpiFilter = std::function<bool(int targetCpu, IpiKind kind, uint8_t vector)>;

}  // namespace dlsim
