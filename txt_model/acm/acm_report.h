// The text `dlsim acminfo` prints for an ACM: header, information table and
// lists with the field names and number formats of tboot's txt-acminfo
// (so the two compare line by line), then the ACM digest dlsim measures.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "txt_model/acm/acm_module.h"

namespace dlsim::txt {

std::string renderAcmReport(const AcmModule& module, std::span<const uint8_t> bytes, const std::string& name);

}  // namespace dlsim::txt
