// Reads the "acpi" section of a scenario: whether to build tables from the
// machine, the OEM identity, where the RSDP and the tables go, and raw table
// files, each read and checked here (signature, length, checksum), so
// `dlsim validate` catches a bad file.
#pragma once
#include <string>

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace dlsim {

AcpiSpec parseAcpiSpec(const JsonValue& acpi, const std::string& scenarioFile);

}  // namespace dlsim
