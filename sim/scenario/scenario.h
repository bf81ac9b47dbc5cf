// A scenario, typed: what machine to build, what to load into it, where to
// start, when to stop and what to expect. Produced by scenario_parser (which
// checks every field; see docs/scenario-format.md), consumed by the runner.
// Every value here has already been validated; defaults are filled in.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/boot_state.h"
#include "sim/e820.h"

namespace dlsim {

enum class CpuVendor { Intel, Amd };
const char* cpuVendorName(CpuVendor v);  // "intel" | "amd"

// Overrides of the CPUID identity and feature flags of the vendor's profile.
// Feature names are only known to be strings here; cpu_model validates them.
struct CpuidSpec {
  std::optional<uint32_t> family;    // 0..0x10e
  std::optional<uint32_t> model;     // 0..255
  std::optional<uint32_t> stepping;  // 0..15
  std::vector<std::string> featuresAdd;
  std::vector<std::string> featuresRemove;
};

// One RAM region: page aligned, non-empty, not overlapping any other.
struct MemoryRegionSpec {
  uint64_t base = 0;
  uint64_t size = 0;
  std::string name;  // given, or "ram<index>"
};

struct MachineSpec {
  int cpus = 1;                               // 1..64
  CpuVendor vendor = CpuVendor::Intel;
  CpuidSpec cpuid;
  std::vector<MemoryRegionSpec> memory;       // in scenario order, 1..64 entries
  E820Map e820;                               // as given, or one RAM entry per region sorted by base
  bool e820Given = false;                     // true when the scenario wrote "e820"
  uint64_t seed = 0;
  uint32_t quantumBlocks = 1000;              // 1..1000000
  uint64_t maxInstructions = 1000000000;      // >= 1
  std::optional<uint64_t> bootGdt;            // < 4 GiB; absent: the machine's default placement
};

enum class LoadType { Flat, Elf, Multiboot1, Multiboot2, BzImage };
const char* loadTypeName(LoadType t);  // "flat", "elf", "multiboot1", "multiboot2", "bzimage"

struct ModuleSpec {
  std::string file;     // absolute path, exists
  std::string cmdline;  // "" when not given
};

// One `load` entry. Which fields may be set depends on the type:
//   flat:                    file, address (required)
//   elf:                     file
//   multiboot1/multiboot2:   file, cmdline, modules, infoAddress
//   bzimage:                 file, cmdline, initrd
struct LoadSpec {
  LoadType type = LoadType::Flat;
  std::string file;                    // absolute path, exists
  std::optional<uint64_t> address;     // flat only (always set for flat)
  std::string cmdline;                 // multiboot*/bzimage; "" when not given
  std::vector<ModuleSpec> modules;     // multiboot*
  std::optional<uint64_t> infoAddress; // multiboot*: where to put the boot information
  std::optional<std::string> initrd;   // bzimage: absolute path, exists
  // True for every type but flat: the loader itself defines an entry point.
  bool providesEntry() const { return type != LoadType::Flat; }
};

// Explicit start state of the boot CPU (overrides a loader's entry).
struct EntrySpec {
  EntryMode mode = EntryMode::Real;
  // Real mode with cs: the IP (<= 0xffff). Real mode without cs: a linear
  // address (<= 0xfffff). Protected / long: the linear address (< 4 GiB).
  uint64_t address = 0;
  std::optional<uint16_t> cs;  // real mode only
  // Lower-case register names in name order, values zero-extended. 32-bit
  // names (eax..edi, esp, ebp) carry values <= 0xffffffff; 64-bit names
  // (rax..r15) only in long mode; no register is named twice (eax + rax).
  std::vector<std::pair<std::string, uint64_t>> registers;

  // The BootState a machine starts from. Real mode without cs splits the
  // linear address into cs = address >> 4, ip = address & 0xf.
  BootState toBootState() const;
};

// The TPM the platform carries (scenario key "tpm"; absent = no TPM and the
// 0xFED40000 window reads all ones). Validated by tpm_spec_parser.
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

struct TpmSpec {
  TpmInterfaceKind interface = TpmInterfaceKind::Tis;
  TpmEngineKind engine = TpmEngineKind::Dlsim;
  std::vector<uint16_t> banks = {0x0004, 0x000B};  // TPM_ALG_IDs, ascending, no duplicates
  std::vector<TpmNvSpec> nv;                        // in scenario order, distinct indices
  std::vector<int> localitiesOpen;                  // of 1..3, ascending (0 is always open)
  TpmFaultSpec faults;
  std::optional<TpmEventLogSpec> eventLog;
};

struct StopSpec {
  std::optional<uint64_t> at;  // stop when an instruction pointer (linear) reaches it
  std::optional<int> cpu;      // only that CPU (< machine.cpus); requires `at`
};

struct Scenario {
  std::string file;         // absolute path of the scenario file
  std::string name;         // [a-z0-9._-]{1,64}
  std::string description;  // "" when not given
  std::optional<std::string> expectedFailure;  // reason, when the scenario is known to fail
  MachineSpec machine;
  std::vector<LoadSpec> load;  // 1..16 entries, in load order
  std::optional<EntrySpec> entry;  // always set when no loader provides an entry
  std::optional<StopSpec> stop;
  std::optional<TpmSpec> tpm;  // absent: the platform has no TPM
  // The raw "expect" object (null when absent); parsed by sim/checks
  // (parseExpectations), its pointers start at "/expect".
  nlohmann::json expect;
};

}  // namespace dlsim
