# The secure loader hand-off (svm_model/handoff/): the bytes TrenchBoot GRUB
# puts in memory before SKINIT for each SKL layout, with named, overridable
# fields. Paths relative to svm_model/.
list(APPEND DLSIM_SVM_SOURCE_NAMES
  handoff/field_block.cpp
  handoff/handoff_desc.cpp
  handoff/handoff_slrt.cpp
  handoff/handoff_tags.cpp
  handoff/handoff_boot_info.cpp
  handoff/handoff_builder.cpp
  handoff/skl_event_log.cpp
)
