# SVM as a platform model: the section, schema, checks, report, registration.
list(APPEND DLSIM_SVM_PLATFORM_SOURCE_NAMES
  platform/amd_config_msrs.cpp
  platform/svm_checks.cpp
  platform/svm_dma_install.cpp
  platform/svm_dma_report.cpp
  platform/svm_dma_rules.cpp
  platform/svm_event_log_report.cpp
  platform/svm_handoff_section.cpp
  platform/svm_platform_model.cpp
  platform/svm_report.cpp
  platform/svm_schema.cpp
  platform/svm_spec_parser.cpp
  platform/svm_tpm_gate.cpp
)
