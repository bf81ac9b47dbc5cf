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

#include "sim/acpi/acpi_sdt.h"
#include "sim/boot_state.h"
#include "sim/e820.h"
#include "sim/launch_rules.h"
#include "sim/model_api/platform_model.h"

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

// One "machine.msrs" entry: a value the platform puts in an MSR before the
// first instruction (cpu_model's MsrRegistry::setByPlatform).
struct MsrSettingSpec {
  uint32_t msr = 0;
  uint64_t value = 0;
  std::optional<int> cpu;  // absent: every CPU
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
  std::vector<MsrSettingSpec> msrs;           // in scenario order, 0..256 entries
};

enum class LoadType { Flat, Elf, Multiboot1, Multiboot2, BzImage };
const char* loadTypeName(LoadType t);  // "flat", "elf", "multiboot1", "multiboot2", "bzimage"

struct ModuleSpec {
  std::string file;     // absolute path, exists
  std::string cmdline;  // "" when not given
  bool nounzip = false; // GRUB's `module --nounzip`: a gzip'd file is placed as it is
};

// One `load` entry. Which fields may be set depends on the type:
//   flat:                    file, address (required)
//   elf:                     file
//   multiboot1/multiboot2:   file, cmdline, modules, infoAddress
//   bzimage:                 file, cmdline, initrd
// and every type: symbols.
struct LoadSpec {
  LoadType type = LoadType::Flat;
  std::string file;                    // absolute path, exists
  std::optional<std::string> symbols;  // System.map-format symbol file: absolute path, exists
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

struct StopSpec {
  std::optional<uint64_t> at;  // stop when an instruction pointer (linear) reaches it
  std::optional<int> cpu;      // only that CPU (< machine.cpus); requires `at`
};

// One raw ACPI table a scenario supplies (from a real machine: acpidump -b).
struct AcpiTableFileSpec {
  std::string file;            // absolute path, exists
  std::vector<uint8_t> bytes;  // passed validateSdt; not RSDT, XSDT, FACP or FACS
};

// The "acpi" section: the machine builds ACPI tables only when it is present
// (sim/acpi/acpi_layout.h says where they go and how they link).
struct AcpiSpec {
  bool build = true;  // build FADT (+DSDT, FACS) and MADT from the machine
  AcpiIds ids;        // oem_id, oem_table_id, oem_revision
  std::vector<AcpiTableFileSpec> tables;  // at most one per signature but SSDT
  uint64_t rsdpAddress = 0xE0000;         // 16-byte aligned, RSDP inside 0xE0000-0xFFFFF
  std::optional<uint64_t> tablesAddress;  // page aligned, < 4 GiB
};

// One scripted bus-master access (scenario "dma"): a requester reads or
// writes guest memory through the DMA port (sim/dma_port.h), where the DMA
// protections decide, when virtual time reaches a count or a CPU reaches an
// address. One step is one PCIe memory request: 1..4096 bytes that do not
// cross a 4 KiB boundary.
struct DmaStepSpec {
  std::optional<uint64_t> atInstructions;  // exactly one of atInstructions and atAddress is set
  std::optional<uint64_t> atAddress;       // linear, as "stop.at"
  std::optional<int> atCpu;                // with atAddress: only this CPU (< machine.cpus)
  uint32_t requester = 0;                  // PCI requester id (bus << 8 | device << 3 | function)
  bool write = false;
  uint64_t address = 0;                    // guest physical
  std::vector<uint8_t> bytes;              // write: what it writes
  uint64_t length = 0;                     // bytes read or written
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
  std::optional<AcpiSpec> acpi;  // absent: no ACPI tables
  std::vector<DmaStepSpec> dma;  // in scenario order (the step numbers of reports and expect)
  // The platform models' sections (sim/model_api), in the composition
  // root's model order; a model without a section is not installed.
  std::vector<ModelSection> models;
  // What each broken strict launch rule does (sim/launch_rules.h); rule ids
  // are those the models declare (PlatformModel::launchRules()).
  LaunchRuleModes launchRules;
  // The raw "expect" object (null when absent); parsed by sim/checks
  // (parseExpectations), its pointers start at "/expect".
  nlohmann::json expect;
};

}  // namespace dlsim
