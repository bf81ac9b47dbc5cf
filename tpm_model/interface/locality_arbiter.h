// Locality arbitration shared by the FIFO (TIS) and CRB interfaces: which
// locality owns the TPM, which ones have asked for it, and which ones lost it
// to a seize. Rules (PTP, as QEMU and the Dasharo FPGA TIS implement them):
// a request with no owner is granted at once (visible on the next read); with
// another owner it stays pending; when the owner relinquishes, the
// highest-numbered requester becomes the owner; a seize from a locality
// higher than the owner (or with no owner) takes the TPM and marks the old
// owner beenSeized.
#pragma once
#include <array>
#include <cstdint>

#include "sim/codec/state_codec.h"

namespace dlsim::tpm {

class LocalityArbiter {
 public:
  static constexpr int kNone = -1;

  int active() const { return active_; }
  bool requesting(unsigned loc) const { return loc < 5 && request_[loc]; }
  bool beenSeized(unsigned loc) const { return loc < 5 && seized_[loc]; }
  // Some locality other than `loc` has a request pending.
  bool pendingOtherThan(unsigned loc) const;

  // Each returns true when the owner changed.
  bool request(unsigned loc);
  bool relinquish(unsigned loc);
  bool seize(unsigned loc);
  void clearBeenSeized(unsigned loc) {
    if (loc < 5) seized_[loc] = false;
  }
  // Power-on state: no owner, no requests.
  void reset() { *this = LocalityArbiter{}; }

  void save(StateWriter& w) const;
  void restore(StateReader& r);

 private:
  int active_ = kNone;
  std::array<bool, 5> request_{};
  std::array<bool, 5> seized_{};
};

}  // namespace dlsim::tpm
