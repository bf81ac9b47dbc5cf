// The TPM section of a scenario, typed (scenario key "tpm"; absent = no TPM
// and the 0xFED40000 window reads all ones). Validated by tpm_spec_parser.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/model_api/platform_model.h"

namespace dlsim {

enum class TpmInterfaceKind { Tis, Crb };
enum class TpmEngineKind { Dlsim, Libtpms };
const char* tpmInterfaceName(TpmInterfaceKind k);  // "tis" | "crb"
const char* tpmEngineName(TpmEngineKind k);        // "dlsim" | "libtpms"

// One NV index defined before power-on, as if by NV_DefineSpace + NV_Write.
struct TpmNvSpec {
  uint32_t index = 0;          // 0x01000000..0x01FFFFFF
  uint32_t attributes = 0;     // TPMA_NV (ordinary index, TPM_NT 0)
  std::vector<uint8_t> data;   // size bytes: the given data, zero-padded ("written" when data was given)
  bool written = false;        // data or file was given
};

struct TpmFailCommandSpec {
  uint32_t commandCode = 0;  // TPM_CC
  uint32_t rc = 0;           // TPM_RC answered instead
};

struct TpmFaultSpec {
  std::vector<TpmFailCommandSpec> failCommands;  // each command code at most once
  std::optional<uint64_t> stopAnsweringAfter;    // commands answered before the TPM hangs
  uint32_t readyDelayReads = 0;                  // commandReady/cmdReady held for this many reads
};

enum class TpmEventLogFormat { Tcg2, Sha1, TxtContainer, Txt12Container };
const char* tpmEventLogFormatName(TpmEventLogFormat f);  // "tcg2" | "sha1" | "txt-container" | "txt12-container"

// Where the guest leaves its event log; read from guest memory after the run.
// txt-container: `address` is the HEAP_EVENT_LOG_POINTER_ELEMENT2_1 (28 bytes)
// and the log is found where it points; the others: the log (or the TPM 1.2
// TXT Event Container) is the `size` bytes at `address`.
struct TpmEventLogSpec {
  uint64_t address = 0;
  uint64_t size = 0;  // 1..64 MiB (txt-container: at most this many container bytes are read)
  TpmEventLogFormat format = TpmEventLogFormat::Tcg2;
};

// What has been sent to the TPM before the first guest instruction. A TPM
// comes out of _TPM_Init refusing every command but TPM2_Startup
// (TPM_RC_INITIALIZE, TPM 2.0 Library Part 3, 9.3); on a real platform the
// firmware sends TPM2_Startup before any boot loader runs, and code that
// starts from a boot loader's hand-off (tboot, an OS) never sends it.
enum class TpmStartup {
  None,   // nothing: the guest is the firmware and sends TPM2_Startup itself
  Clear,  // the firmware sent TPM2_Startup(SU_CLEAR) at locality 0
};
const char* tpmStartupName(TpmStartup s);  // "none" | "clear"

struct TpmSpec : ModelSpec {
  TpmInterfaceKind interface = TpmInterfaceKind::Tis;
  TpmEngineKind engine = TpmEngineKind::Dlsim;
  std::vector<uint16_t> banks = {0x0004, 0x000B};  // TPM_ALG_IDs, ascending, no duplicates
  std::vector<TpmNvSpec> nv;                        // in scenario order, distinct indices
  std::vector<int> localitiesOpen;                  // of 1..3, ascending (0 is always open)
  TpmFaultSpec faults;
  std::optional<TpmEventLogSpec> eventLog;
  TpmStartup startup = TpmStartup::None;
};

}  // namespace dlsim
