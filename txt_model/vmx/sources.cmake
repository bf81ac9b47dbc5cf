# VMX for the launch environment's AP mini-guest (library dlsim_txt_platform).
list(APPEND DLSIM_TXT_PLATFORM_SOURCE_NAMES
  vmx/vm_entry.cpp
  vmx/vm_exit.cpp
  vmx/vmcs_fields.cpp
  vmx/vmx.cpp
  vmx/vmx_capabilities.cpp
  vmx/vmx_install.cpp
  vmx/vmx_instructions.cpp
  vmx/vmx_snapshot.cpp
)
