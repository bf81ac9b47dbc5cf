# ACMs: header and module parsers, the ACM digest, tboot's pre-launch checks,
# the report, dlsim's signing key and the simulated SINIT builder (mkacm).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  acm/acm_builder.cpp
  acm/acm_commands.cpp
  acm/acm_digest.cpp
  acm/acm_header.cpp
  acm/acm_module.cpp
  acm/acm_prelaunch_checks.cpp
  acm/acm_report.cpp
  acm/acm_signing_key.cpp
  acm/bios_acm_builder.cpp
)
