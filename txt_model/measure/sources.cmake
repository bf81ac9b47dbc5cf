# SINIT measurements: the platform TPM traffic and the heap event log (library dlsim_txt).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  measure/launch_events.cpp
  measure/launch_log_reader.cpp
  measure/legacy_event_log_writer.cpp
  measure/tcg_event_log_writer.cpp
  measure/tpm2_launch_commands.cpp
  measure/tpm_launch_measurer.cpp
)
