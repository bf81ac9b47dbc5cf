# SINIT measurements: the platform TPM traffic and the heap event log (library dlsim_txt).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  measure/tpm_launch_measurer_pending.cpp
)
