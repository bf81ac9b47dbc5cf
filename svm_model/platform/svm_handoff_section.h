// The "handoff" member of the "svm" scenario section: what TrenchBoot GRUB
// leaves in memory before SKINIT (docs/skl.md "In a scenario"): the SKL image
// at the SLB base, the kernel (DLME) image, and the hand-off the
// svm_model/handoff builder lays out (tag list or SLRT, boot parameters).
// Parsed (files read, description validated and built once) with InputErrors
// naming /svm/handoff/...; written into guest memory at install, before the
// scenario's own images load and before any CPU runs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/model_api/model_host.h"
#include "sim/scenario/json_reader.h"
#include "svm_model/handoff/handoff_builder.h"

namespace dlsim::svm {

struct SvmHandoffSpec {
  HandoffDesc desc;
  std::string slbFile;
  std::vector<uint8_t> slbImage;  // the file's bytes, written at desc.slbBase
  std::string kernelFile;
  std::vector<uint8_t> kernelImage;  // written at desc.kernelBase
  Handoff handoff;                   // buildHandoff(desc), overrides applied
};

// Reads `/svm/handoff` (see the schema in svm_schema.cpp).
SvmHandoffSpec parseSvmHandoff(const JsonValue& v);

// Writes the SLB image, the kernel and the hand-off blocks into guest memory.
void installSvmHandoff(ModelHost& host, const SvmHandoffSpec& spec, const std::string& scenarioFile);

}  // namespace dlsim::svm
