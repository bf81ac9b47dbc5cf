// The machine's ACPI tables: the models' contributions collected, the MADT's
// CPUs taken from the LAPICs, the layout (sim/acpi) written into RAM.
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/machine/machine.h"

namespace dlsim {

void Machine::addAcpiTable(std::vector<uint8_t> table) {
  try {
    validateSdt(table, "ACPI table from a platform model");
  } catch (const InputError& e) {
    throw InternalError(e.what());
  }
  modelAcpiTables_.push_back(std::move(table));
}

void Machine::installAcpi(AcpiConfig config) {
  if (rsdpAddress_) throw InternalError("Machine::installAcpi called twice");
  config.cpus.clear();
  for (int i = 0; i < config_.cpus; ++i)
    config.cpus.push_back({static_cast<uint32_t>(i), lapics_->initialApicId(i)});
  config.localApicAddress = static_cast<uint32_t>(LocalApics::kMmioBase);
  config.modelTables = modelAcpiTables_;
  const AcpiImage img = layoutAcpi(config);
  for (const E820Entry& r : img.ranges)
    if (!memory_.contains(r.addr, r.size))
      throw InputError("acpi: the ACPI tables need RAM at [" + hex(r.addr) + ", " + hex(r.addr + r.size) +
                       ") and machine.memory does not cover it");
  const auto [rs, re] = bootScratchRange();
  for (const E820Entry& r : img.ranges)
    if (r.addr < re && rs < r.addr + r.size)
      throw InputError("acpi: the ACPI tables at [" + hex(r.addr) + ", " + hex(r.addr + r.size) +
                       ") overlap the boot scratch range [" + hex(rs) + ", " + hex(re) + ")");
  for (const AcpiBlock& b : img.blocks)
    if (!memory_.write(b.address, b.bytes.data(), b.bytes.size()))
      throw InternalError("ACPI table " + b.signature + " at " + hex(b.address) + " outside RAM");
  acpiRanges_ = img.ranges;
  rsdpAddress_ = img.rsdpAddress;
}

}  // namespace dlsim
