// The TXT members of a scenario's `expect`: "txt" {"errorcode": u32,
// "txt_reset": bool, "sts"/"ests"/"e2sts": {bit name: bool}, "vmx": {CPU
// number: VMX state}}. Check names: "txt.errorcode", "txt.txt_reset",
// "txt.sts.private_open", "txt.vmx.cpu1", ...
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/model_api/platform_model.h"
#include "sim/scenario/json_reader.h"

namespace dlsim::txt {

struct TxtObservation;

struct TxtExpectations : ModelExpectations {
  std::optional<uint32_t> errorCode;
  std::optional<bool> txtReset;
  // register ("sts", "ests", "e2sts") -> bit name -> expected
  std::map<std::string, std::map<std::string, bool>> bits;
  // CPU -> VMX state ("off", "vmx-root", "vmx-guest active", "vmx-guest
  // hlt", "vmx-guest wait-for-sipi"; txt_model/vmx/).
  std::map<int, std::string> vmx;
  bool empty() const { return !errorCode && !txtReset && bits.empty() && vmx.empty(); }
  void check(const ModelObservation* obs, std::vector<CheckResult>& out) const override;
};

TxtExpectations parseTxtExpectations(JsonObjectReader& o);

// The bit names a register's expectation may use, with their masks.
const std::map<std::string, uint64_t>& txtStatusBits(const std::string& reg);

}  // namespace dlsim::txt
