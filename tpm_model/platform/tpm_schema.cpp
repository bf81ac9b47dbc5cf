// The JSON Schema fragment of the "tpm" scenario section and of the TPM's
// members of `expect`. dlsim-schema adds it to scenarios/schema/core.schema.json
// to make the committed scenarios/schema/scenario.schema.json (a CTest keeps
// them equal); tpm_spec_parser.cpp and tpm_checks.cpp enforce the same rules
// (tpm_schema_agreement_test.cpp).
#include "tpm_model/platform/tpm_platform_model.h"

namespace dlsim {

nlohmann::ordered_json tpmSchemaFragment() {
  static const char* const kFragment = R"json({
  "section": {
    "type": "object",
    "description": "The platform's TPM 2.0 at 0xFED40000 (0x5000 bytes). Absent: no TPM (the window reads all ones). See docs/scenario-format.md, \"tpm\".",
    "additionalProperties": false,
    "properties": {
      "interface": {
        "enum": [
          "tis",
          "crb"
        ],
        "default": "tis",
        "description": "Register interface: \"tis\" (PTP FIFO) or \"crb\" (Command Response Buffer). Default \"tis\"."
      },
      "engine": {
        "enum": [
          "dlsim",
          "libtpms"
        ],
        "default": "dlsim",
        "description": "TPM implementation: dlsim's deterministic engine or libtpms. `dlsim run --tpm-engine` overrides it. Default \"dlsim\"."
      },
      "banks": {
        "type": "array",
        "minItems": 1,
        "maxItems": 5,
        "uniqueItems": true,
        "items": {
          "enum": [
            "sha1",
            "sha256",
            "sha384",
            "sha512",
            "sm3_256"
          ],
          "description": "A PCR bank's hash."
        },
        "default": [
          "sha1",
          "sha256"
        ],
        "description": "Allocated PCR banks. Default [\"sha1\", \"sha256\"]."
      },
      "nv": {
        "type": "array",
        "maxItems": 64,
        "description": "NV indices defined before power-on (distinct indices).",
        "items": {
          "type": "object",
          "additionalProperties": false,
          "description": "One ordinary NV index. \"size\" is required without data.",
          "properties": {
            "index": {
              "description": "NV index handle 0x01000000..0x01FFFFFF.",
              "oneOf": [
                {
                  "type": "integer",
                  "minimum": 16777216,
                  "maximum": 33554431
                },
                {
                  "type": "string",
                  "pattern": "^(0x0*1[0-9a-fA-F]{6}|0*(1677721[6-9]|167772[2-9][0-9]|16777[3-9][0-9]{2}|1677[8-9][0-9]{3}|167[8-9][0-9]{4}|16[8-9][0-9]{5}|1[7-9][0-9]{6}|2[0-9]{7}|3[0-2][0-9]{6}|33[0-4][0-9]{5}|335[0-4][0-9]{4}|3355[0-3][0-9]{3}|33554[0-3][0-9]{2}|335544[0-2][0-9]|3355443[0-1]))$"
                }
              ]
            },
            "attributes": {
              "description": "TPMA_NV as a number (an ordinary index: bits 4-7 zero; no WRITTEN bit) or a preset: \"owner-rw\", \"platform-rw\", \"platform-ro\".",
              "oneOf": [
                {
                  "enum": [
                    "owner-rw",
                    "platform-rw",
                    "platform-ro"
                  ]
                },
                {
                  "$ref": "#/$defs/u32"
                }
              ]
            },
            "data": {
              "type": "string",
              "pattern": "^([0-9a-fA-F]{2}){0,2048}$",
              "description": "Initial contents as hex digits (at most 2048 bytes)."
            },
            "file": {
              "$ref": "#/$defs/inputFile",
              "description": "Initial contents from a file (at most 2048 bytes; path rules as for load files)."
            },
            "size": {
              "description": "Index size in bytes, 1..2048 (data is zero-padded to it). Default: the data's length.",
              "oneOf": [
                {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 2048
                },
                {
                  "type": "string",
                  "pattern": "^(0x0*([1-9a-fA-F][0-9a-fA-F]?|[1-7][0-9a-fA-F]{2}|800)|0*([1-9][0-9]{0,2}|1[0-9]{3}|20[0-3][0-9]|204[0-8]))$"
                }
              ]
            }
          },
          "required": [
            "index",
            "attributes"
          ],
          "not": {
            "required": [
              "data",
              "file"
            ]
          }
        }
      },
      "localities_open": {
        "type": "array",
        "maxItems": 3,
        "uniqueItems": true,
        "items": {
          "type": "integer",
          "minimum": 1,
          "maximum": 3
        },
        "description": "Localities 1-3 the chipset lets through from power-on (0 always is; 4 only for the platform)."
      },
      "startup": {
        "enum": [
          "none",
          "clear"
        ],
        "default": "none",
        "description": "What the firmware sent before the first guest instruction: \"none\" (the guest sends TPM2_Startup) or \"clear\" (TPM2_Startup(SU_CLEAR) at locality 0, as a BIOS does before a boot loader runs). Default \"none\"."
      },
      "faults": {
        "type": "object",
        "additionalProperties": false,
        "description": "Fault injection.",
        "properties": {
          "fail_command": {
            "type": "array",
            "maxItems": 64,
            "description": "Commands answered with a chosen TPM_RC instead of running (each command once).",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "code",
                "rc"
              ],
              "properties": {
                "code": {
                  "description": "The command: a name such as \"TPM2_PCR_Extend\" or a TPM_CC number.",
                  "oneOf": [
                    {
                      "type": "string",
                      "pattern": "^TPM2_[A-Za-z0-9_]+$"
                    },
                    {
                      "$ref": "#/$defs/u32"
                    }
                  ]
                },
                "rc": {
                  "description": "The TPM_RC answered (non-zero, <= 0xffffffff).",
                  "allOf": [
                    {
                      "$ref": "#/$defs/u32"
                    },
                    {
                      "$ref": "#/$defs/u64NonZero"
                    }
                  ]
                }
              }
            }
          },
          "stop_answering_after": {
            "$ref": "#/$defs/u64",
            "description": "After this many answered commands the TPM accepts commands but never completes them."
          },
          "ready_delay_reads": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000,
            "description": "A slow TPM: commandReady (TIS) / cmdReady (CRB) completes only after this many further status reads."
          }
        }
      },
      "event_log": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "address",
          "size",
          "format"
        ],
        "description": "Where the guest leaves its event log; read, parsed and replayed after the run.",
        "properties": {
          "address": {
            "$ref": "#/$defs/u64",
            "description": "Guest-physical address of the log (txt-container: of the 28-byte HEAP_EVENT_LOG_POINTER_ELEMENT2_1)."
          },
          "size": {
            "description": "Bytes to read, 1..64 MiB (txt-container: the most container bytes allowed).",
            "oneOf": [
              {
                "type": "integer",
                "minimum": 1,
                "maximum": 67108864
              },
              {
                "type": "string",
                "pattern": "^(0x0*([1-9a-fA-F][0-9a-fA-F]{0,5}|[1-3][0-9a-fA-F]{6}|4000000)|0*([1-9][0-9]{0,6}|[1-5][0-9]{7}|6[0-6][0-9]{6}|670[0-9]{5}|6710[0-7][0-9]{3}|67108[0-7][0-9]{2}|671088[0-5][0-9]|6710886[0-4]))$"
              }
            ]
          },
          "format": {
            "enum": [
              "tcg2",
              "sha1",
              "txt-container",
              "txt12-container"
            ],
            "description": "tcg2: crypto-agile log; sha1: TPM 1.2 style log; txt-container: TXT heap pointer element 2.1 and the container it points at; txt12-container: TPM 1.2 TXT Event Container."
          }
        }
      }
    }
  },
  "expect": {
    "pcrs": {
      "type": "object",
      "additionalProperties": false,
      "description": "Expected PCR values per bank and index (one check each).",
      "properties": {
        "sha1": {
          "type": "object",
          "additionalProperties": false,
          "patternProperties": {
            "^([0-9]|1[0-9]|2[0-3])$": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{40}$",
              "description": "Expected value: 40 hex digits."
            }
          },
          "description": "PCR index (0..23) -> expected value."
        },
        "sha256": {
          "type": "object",
          "additionalProperties": false,
          "patternProperties": {
            "^([0-9]|1[0-9]|2[0-3])$": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{64}$",
              "description": "Expected value: 64 hex digits."
            }
          },
          "description": "PCR index (0..23) -> expected value."
        },
        "sha384": {
          "type": "object",
          "additionalProperties": false,
          "patternProperties": {
            "^([0-9]|1[0-9]|2[0-3])$": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{96}$",
              "description": "Expected value: 96 hex digits."
            }
          },
          "description": "PCR index (0..23) -> expected value."
        },
        "sha512": {
          "type": "object",
          "additionalProperties": false,
          "patternProperties": {
            "^([0-9]|1[0-9]|2[0-3])$": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{128}$",
              "description": "Expected value: 128 hex digits."
            }
          },
          "description": "PCR index (0..23) -> expected value."
        },
        "sm3_256": {
          "type": "object",
          "additionalProperties": false,
          "patternProperties": {
            "^([0-9]|1[0-9]|2[0-3])$": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{64}$",
              "description": "Expected value: 64 hex digits."
            }
          },
          "description": "PCR index (0..23) -> expected value."
        }
      }
    },
    "event_log_replays": {
      "const": true,
      "description": "The guest's event log (tpm.event_log) parses and replays to the TPM's values for every PCR it extends."
    },
    "tpm": {
      "type": "object",
      "additionalProperties": false,
      "description": "Expected TPM interface state.",
      "properties": {
        "established": {
          "type": "boolean",
          "description": "TPMEstablished (a D-RTM sequence has run)."
        },
        "active_locality": {
          "description": "The locality owning the TPM, or null for none.",
          "oneOf": [
            {
              "type": "integer",
              "minimum": 0,
              "maximum": 4
            },
            {
              "type": "null"
            }
          ]
        },
        "commands_at_locality": {
          "type": "object",
          "additionalProperties": false,
          "patternProperties": {
            "^[0-4]$": {
              "$ref": "#/$defs/u64",
              "description": "Commands received at that locality."
            }
          },
          "description": "Locality (0..4) -> number of commands received."
        }
      }
    }
  }
})json";
  return nlohmann::ordered_json::parse(kFragment);
}

}  // namespace dlsim
