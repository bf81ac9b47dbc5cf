#include "svm_model/platform/svm_tpm_gate.h"

#include <memory>

#include "sim/tpm_locality_gate.h"

namespace dlsim::svm {
namespace {

// A fixed set: AMD has no register that opens or closes localities 1..3.
class SvmTpmGate : public TpmLocalityGate {
 public:
  explicit SvmTpmGate(uint8_t forwarded) : forwarded_(forwarded) {}
  bool forwards(const AccessContext&, unsigned locality) const override {
    return locality >= 1 && locality <= 3 && (forwarded_ >> locality) & 1u;
  }

 private:
  uint8_t forwarded_;
};

}  // namespace

void installSvmTpmGate(ModelHost& host, const SvmProfile& profile) {
  auto gate = std::make_shared<SvmTpmGate>(profile.tpmLocalities);
  host.tpmLocalityGate().set(gate.get());
  host.keepAlive(gate);
}

}  // namespace dlsim::svm
