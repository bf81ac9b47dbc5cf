// The JSON Schema fragment of the "txt" scenario section and of TXT's
// member of `expect` (dlsim-schema adds it to the published schema);
// txt_spec_parser.cpp and txt_checks.cpp enforce the same rules.
#include "txt_model/platform/txt_platform_model.h"

namespace dlsim::txt {

nlohmann::ordered_json txtSchemaFragment() {
  static const char* const kFragment = R"json({
  "section": {
    "type": "object",
    "description": "An Intel TXT platform: the TXT configuration registers (public space at 0xFED30000, private at 0xFED20000). Absent: no TXT chipset (both ranges read all ones). See docs/scenario-format.md, \"txt\".",
    "additionalProperties": false,
    "required": [
      "profile"
    ],
    "properties": {
      "profile": {
        "type": "string",
        "minLength": 1,
        "maxLength": 64,
        "description": "A shipped TXT platform profile (txt_model/profiles/<name>.json): CPU signature, chipset DIDVID and VER.* registers, GETSEC capabilities, its SINIT."
      },
      "disabled": {
        "type": "boolean",
        "default": false,
        "description": "true: the chipset has no TXT (neither space decodes; GETSEC[CAPABILITIES] reports no TXT chipset). Default false."
      },
      "start": {
        "enum": [
          "power-on",
          "after-senter"
        ],
        "default": "power-on",
        "description": "The chipset's launch state at the first instruction: \"power-on\", or \"after-senter\" as a successful SENTER hands the platform to the MLE (STS.SENTER.DONE, private space open, locality 2 open) to test MLE code alone. Default \"power-on\"."
      },
      "feature_control": {
        "$ref": "#/$defs/u64",
        "description": "IA32_FEATURE_CONTROL (MSR 0x3A) on every CPU at power-on, as the BIOS left it: lock 0, VMX in SMX 1, VMX outside SMX 2, SENTER local enables 14:8, SENTER global enable 15, SGX 17-18, LMCE 20. Default 0xff07 (a TXT BIOS's: locked, everything enabled)."
      },
      "tpm_present": {
        "type": "boolean",
        "default": true,
        "description": "The chipset has a TPM interface. false: GETSEC[SENTER] raises #GP(0) (rule getsec.senter.tpm-present). Default true."
      },
      "bios_data": {
        "type": "object",
        "additionalProperties": false,
        "description": "The BiosData table the BIOS writes at TXT.HEAP.BASE at power-on (SDG appendix C.2); needs registers.heap_base and a heap_size it fits in. Absent: the heap is left as RAM holds it.",
        "properties": {
          "version": {"type": "integer", "minimum": 2, "maximum": 6, "default": 6, "description": "BiosData version (2..6). Default 6."},
          "bios_sinit_size": {"$ref": "#/$defs/u64", "description": "BiosSinitSize: bytes of a SINIT the BIOS provides (u32). Default 0."},
          "lcp_pd_base": {"$ref": "#/$defs/u64", "description": "LcpPdBase: the platform-default LCP policy data. Default 0."},
          "lcp_pd_size": {"$ref": "#/$defs/u64", "description": "LcpPdSize. Default 0."},
          "num_logical_processors": {"$ref": "#/$defs/u64", "description": "NumLogicalProcs (u32). Default: machine.cpus."},
          "sinit_flags": {"$ref": "#/$defs/u64", "description": "SinitFlags (u32; version 3+). Default 0."},
          "mle_flags": {"$ref": "#/$defs/u64", "description": "MleFlags (u32; version 3+ layout): bit 0 ACPI PPI, bits 2:1 platform type (1 client, 2 server). Default 0."},
          "bios_spec_ver": {
            "type": "object",
            "additionalProperties": false,
            "required": ["major", "minor"],
            "description": "A BIOS_SPEC_VER element (version 4+).",
            "properties": {
              "major": {"type": "integer", "minimum": 0, "maximum": 65535},
              "minor": {"type": "integer", "minimum": 0, "maximum": 65535},
              "revision": {"type": "integer", "minimum": 0, "maximum": 65535, "default": 0}
            }
          },
          "acm_addresses": {
            "type": "array",
            "maxItems": 64,
            "items": {"$ref": "#/$defs/u64"},
            "description": "An ACM element (version 4+): physical addresses of the BIOS-provided ACMs."
          }
        }
      },
      "sinit": {
        "type": "object",
        "additionalProperties": false,
        "description": "The SINIT model (what SENTER's ACM does): overrides of what the profile and the ACM information table give, and an error to inject. See docs/scenario-format.md, \"txt\".",
        "properties": {
          "version": {
            "type": "integer",
            "minimum": 6,
            "maximum": 9,
            "description": "The SinitMleData version SINIT writes (default: the profile's)."
          },
          "capabilities": {
            "$ref": "#/$defs/u64",
            "description": "The capabilities SINIT supports (32 bits; default: the ACM information table's): bit 0 GETSEC[WAKEUP], 1 monitor wake-up, 2 ECX page table, 9 TCG event log..."
          },
          "inject_error": {
            "oneOf": [
              {"type": "string", "pattern": "^sinit\\."},
              {"$ref": "#/$defs/u64"}
            ],
            "description": "A SINIT rule id (docs/txt-rules.md, \"SINIT\"), or the ERRORCODE of one (the first rule in SINIT's order that writes it): that check fails at its step with its ERRORCODE (mode \"hardware\") or stops the run (mode \"stop\")."
          }
        }
      },
      "registers": {
        "type": "object",
        "additionalProperties": false,
        "description": "Register values at power-on: what the BIOS programmed and what a previous boot left. Unset: 0.",
        "properties": {
          "heap_base": {
            "$ref": "#/$defs/u64",
            "description": "TXT.HEAP.BASE: 32 bits, 4 KiB aligned."
          },
          "heap_size": {
            "$ref": "#/$defs/u64",
            "description": "TXT.HEAP.SIZE: 32 bits, a multiple of 4 KiB."
          },
          "sinit_base": {
            "$ref": "#/$defs/u64",
            "description": "TXT.SINIT.BASE: 32 bits, 4 KiB aligned."
          },
          "sinit_size": {
            "$ref": "#/$defs/u64",
            "description": "TXT.SINIT.SIZE: 32 bits, a multiple of 4 KiB."
          },
          "mseg_base": {
            "$ref": "#/$defs/u64",
            "description": "TXT.MSEG.BASE: 32 bits, 4 KiB aligned."
          },
          "mseg_size": {
            "$ref": "#/$defs/u64",
            "description": "TXT.MSEG.SIZE: 32 bits, a multiple of 4 KiB."
          },
          "dpr": {
            "$ref": "#/$defs/u64",
            "description": "TXT.DPR: lock (bit 0), size in MiB (11:4), top (31:20); other bits 0."
          },
          "public_key": {
            "type": "string",
            "pattern": "^[0-9a-fA-F]{64}$",
            "description": "TXT.PUBLIC.KEY: the 32-byte hash of the ACM signing key, 64 hex digits. Default: the hash of the key dlsim mkacm signs SINITs with."
          },
          "ests": {
            "$ref": "#/$defs/u64",
            "description": "TXT.ESTS left by a previous boot: bits 0 (TXT_RESET), 1, 2, 5, 6."
          },
          "errorcode": {
            "$ref": "#/$defs/u64",
            "description": "TXT.ERRORCODE left by a previous boot (32 bits)."
          },
          "e2sts": {
            "$ref": "#/$defs/u64",
            "description": "TXT.E2STS left by a previous boot: bits 0-3 (1 = SECRETS)."
          },
          "bootstatus": {
            "$ref": "#/$defs/u64",
            "description": "TXT.SPAD (BOOTSTATUS) as the startup ACM left it."
          },
          "acm_status": {
            "$ref": "#/$defs/u64",
            "description": "TXT ACM_STATUS (0x328) as the startup ACM left it (32 bits)."
          }
        }
      }
    }
  },
  "expect": {
    "txt": {
      "type": "object",
      "additionalProperties": false,
      "description": "Expected TXT register state after the run (public-space reads) and whether the run ended in a TXT reset.",
      "properties": {
        "errorcode": {
          "$ref": "#/$defs/u64",
          "description": "TXT.ERRORCODE (32 bits)."
        },
        "txt_reset": {
          "type": "boolean",
          "description": "The run ended in a TXT reset (CMD.RESET or a failed launch)."
        },
        "sts": {
          "type": "object",
          "additionalProperties": false,
          "description": "TXT.STS bits: name -> set.",
          "properties": {
            "senter_done": {"type": "boolean"},
            "sexit_done": {"type": "boolean"},
            "mem_unlock": {"type": "boolean"},
            "mem_config_lock": {"type": "boolean"},
            "private_open": {"type": "boolean"},
            "pmrc_lock": {"type": "boolean"},
            "locality1_open": {"type": "boolean"},
            "locality2_open": {"type": "boolean"},
            "locality3_open": {"type": "boolean"},
            "seq_in_progress": {"type": "boolean"}
          }
        },
        "ests": {
          "type": "object",
          "additionalProperties": false,
          "description": "TXT.ESTS bits: name -> set.",
          "properties": {
            "txt_reset": {"type": "boolean"},
            "rogue": {"type": "boolean"},
            "memory_attack": {"type": "boolean"},
            "alias_fault": {"type": "boolean"},
            "wake_error": {"type": "boolean"}
          }
        },
        "e2sts": {
          "type": "object",
          "additionalProperties": false,
          "description": "TXT.E2STS bits: name -> set.",
          "properties": {
            "sleep_entry_error": {"type": "boolean"},
            "secrets": {"type": "boolean"},
            "block_mem": {"type": "boolean"},
            "reset": {"type": "boolean"}
          }
        },
        "vmx": {
          "type": "object",
          "additionalProperties": false,
          "description": "Each CPU's VMX state after the run (docs/vmx.md): CPU number -> state; a CPU never in VMX operation is \"off\".",
          "patternProperties": {
            "^(0|[1-9][0-9]{0,2})$": {
              "enum": ["off", "vmx-root", "vmx-guest active", "vmx-guest hlt", "vmx-guest wait-for-sipi"]
            }
          }
        }
      }
    }
  }
})json";
  return nlohmann::ordered_json::parse(kFragment);
}

}  // namespace dlsim::txt
