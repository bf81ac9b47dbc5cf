// Locality arbitration rules shared by the TIS and CRB models.
#include "tpm_model/interface/locality_arbiter.h"

#include <string>

namespace dlsim::tpm {

bool LocalityArbiter::pendingOtherThan(unsigned loc) const {
  for (unsigned l = 0; l < 5; ++l)
    if (l != loc && request_[l]) return true;
  return false;
}

bool LocalityArbiter::request(unsigned loc) {
  if (loc >= 5 || active_ == int(loc)) return false;
  if (active_ == kNone) {
    active_ = int(loc);
    request_[loc] = false;
    return true;
  }
  request_[loc] = true;
  return false;
}

bool LocalityArbiter::relinquish(unsigned loc) {
  if (loc >= 5) return false;
  if (active_ != int(loc)) {
    request_[loc] = false;  // a non-owner withdraws its own request
    return false;
  }
  active_ = kNone;
  for (int l = 4; l >= 0; --l)
    if (request_[size_t(l)]) {
      active_ = l;
      request_[size_t(l)] = false;
      break;
    }
  return true;
}

bool LocalityArbiter::seize(unsigned loc) {
  if (loc >= 5) return false;
  if (active_ != kNone && int(loc) <= active_) return false;
  if (active_ != kNone) seized_[size_t(active_)] = true;
  active_ = int(loc);
  request_[loc] = false;
  return true;
}

void LocalityArbiter::save(StateWriter& w) const {
  w.u8(uint8_t(active_ + 1));
  for (unsigned l = 0; l < 5; ++l) {
    w.flag(request_[l]);
    w.flag(seized_[l]);
  }
}

void LocalityArbiter::restore(StateReader& r) {
  uint8_t a = r.u8("active_locality");
  if (a > 5) r.fail("active_locality", "value " + std::to_string(a) + " is not 0 (none) .. 5");
  LocalityArbiter n;
  n.active_ = int(a) - 1;
  for (unsigned l = 0; l < 5; ++l) {
    n.request_[l] = r.flag("request_use");
    n.seized_[l] = r.flag("been_seized");
  }
  *this = n;
}

}  // namespace dlsim::tpm
