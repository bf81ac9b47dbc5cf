# The ACPI DMAR table (Intel VT-d specification chapter 8): build and parse.
list(APPEND DLSIM_TXT_SOURCE_NAMES
  acpi/dmar_build.cpp
  acpi/dmar_parse.cpp
)
