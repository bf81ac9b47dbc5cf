// TEMPORARY (deleted at merge): stands in for tpm_launch_measurer.cpp, which
// another branch writes, so that this branch links. Every measurement fails
// with "measurement part not merged": a SENTER on this stand-in ends in a
// TXT reset naming it.
#include "txt_model/measure/launch_measurer.h"

namespace dlsim::txt {

namespace {
class PendingMeasurer final : public LaunchMeasurer {
 public:
  std::optional<MeasurementFailure> measureAcm(const AcmMeasurementInputs&) override { return failure(); }
  LaunchMeasurementResult measureLaunch(const LaunchMeasurementInputs&) override {
    LaunchMeasurementResult r;
    r.failure = failure();
    return r;
  }

 private:
  static MeasurementFailure failure() {
    return MeasurementFailure{"hash-start", "measurement part not merged", 0};
  }
};
}  // namespace

std::unique_ptr<LaunchMeasurer> makeTpmLaunchMeasurer(Bus&, GuestMemory&) {
  return std::make_unique<PendingMeasurer>();
}

}  // namespace dlsim::txt
