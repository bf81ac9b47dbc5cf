# The ACPI DMAR table (Intel VT-d specification chapter 8): build and parse;
# finding an ACPI table in guest memory (RSDP, XSDT/RSDT).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  acpi/dmar_build.cpp
  acpi/dmar_parse.cpp
  acpi/acpi_find.cpp
)
