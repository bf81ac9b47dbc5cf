// The JSON Schema fragment of the "svm" scenario section and of SVM's member
// of `expect` (dlsim-schema adds it to the published schema);
// svm_spec_parser.cpp and svm_checks.cpp enforce the same rules.
#include "svm_model/platform/svm_platform_model.h"

namespace dlsim::svm {

nlohmann::ordered_json svmSchemaFragment() {
  static const char* const kFragment = R"json({
  "section": {
    "type": "object",
    "description": "An AMD platform with SVM: CPUID of the profile (AuthenticAMD, family/model/stepping, SVM and SKINIT bits, Fn8000_000A), EFER.SVME, the VM_CR and VM_HSAVE_PA MSRs, CLGI/STGI and the global interrupt flag. Needs machine.vendor \"amd\". See docs/svm.md.",
    "additionalProperties": false,
    "required": [
      "profile"
    ],
    "properties": {
      "profile": {
        "type": "string",
        "minLength": 1,
        "maxLength": 64,
        "description": "A shipped AMD platform profile (svm_model/profiles/<name>.json): CPU signature, SVM revision, ASIDs and features, SKINIT, the northbridge's DMA protection kind, IOMMU."
      },
      "vm_cr": {
        "$ref": "#/$defs/u64",
        "description": "VM_CR (MSR 0xC001_0114) on every CPU at power-on and after reset, as the BIOS left it: 0 DPD, 1 R_INIT, 2 DIS_A20M, 3 LOCK, 4 SVMDIS (0x18: SVM disabled and locked). Default 0."
      }
    }
  },
  "expect": {
    "svm": {
      "type": "object",
      "additionalProperties": false,
      "description": "The SVM state after the run (docs/svm.md).",
      "properties": {
        "skinit_executed": {"type": "boolean", "description": "SKINIT ran on the BSP."},
        "cpus": {
          "type": "object",
          "additionalProperties": false,
          "description": "Per CPU number: its SVM state after the run.",
          "patternProperties": {
            "^(0|[1-9][0-9]{0,2})$": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "gif": {"type": "boolean", "description": "The global interrupt flag."},
                "vm_cr": {"$ref": "#/$defs/u64", "description": "VM_CR (bits 4:0)."},
                "efer_svme": {"type": "boolean", "description": "EFER.SVME (bit 12)."},
                "in_skinit_launch": {"type": "boolean", "description": "The CPU ran SKINIT, or took its first SIPI after the BSP's SKINIT."}
              }
            }
          }
        }
      }
    }
  }
})json";
  return nlohmann::ordered_json::parse(kFragment);
}

}  // namespace dlsim::svm
