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
        "description": "A shipped AMD platform profile (svm_model/profiles/<name>.json): CPU signature, SVM revision, ASIDs and features, SKINIT, the northbridge's DMA protection kind and device ids, the IOMMU and its MMIO base, firmware's MSR 0xC001_0058 / NB_CFG values."
      },
      "vm_cr": {
        "$ref": "#/$defs/u64",
        "description": "VM_CR (MSR 0xC001_0114) on every CPU at power-on and after reset, as the BIOS left it: 0 DPD, 1 R_INIT, 2 DIS_A20M, 3 LOCK, 4 SVMDIS (0x18: SVM disabled and locked). Default 0."
      },
      "mmio_cfg_base_msr": {
        "$ref": "#/$defs/u64",
        "description": "MSR 0xC001_0058 (MMIO configuration base) at power-on and after reset, as firmware left it: bit 0 enable, 5:2 bus range (2^n buses), 47:20 base; it places the ECAM window. Default: the profile's (docs/svm.md). 0: no ECAM, configuration through CF8/CFC only."
      },
      "nb_cfg_msr": {
        "$ref": "#/$defs/u64",
        "description": "MSR 0xC001_001F (NB_CFG) at power-on and after reset; bit 46 EnableCf8ExtCfg gives CF8 register bits 11:8. Default: the profile's (bit 46 set)."
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
        "slb_protected": {"type": "boolean", "description": "Some northbridge node still holds SKINIT's SLB protection (SL_DEV_EN / MEMPROT_EN) after the run (docs/svm-dma.md)."},
        "iommu_enabled": {"type": "boolean", "description": "The AMD IOMMU's IommuEn is set after the run (false on a platform without an IOMMU)."},
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
