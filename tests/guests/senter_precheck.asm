; Pre-launch code reduced to GETSEC[SENTER]'s processor checks: sets CR0.NE
; and CR4.SMXE, reads IA32_FEATURE_CONTROL into 0x9000 (EDX:EAX), and
; executes SENTER with EBX = 0x200000, ECX = 0x8000, EDX = 0. Scenarios
; whose platform breaks a check (scenarios/txt/senter-no-tpm.json,
; senter-feature-control-unlocked.json) end in the rule; past the checks the
; platform's SINIT model takes over.
bits 32
org 0x100000
  mov eax, cr0
  or eax, 0x20                         ; NE
  mov cr0, eax
  mov eax, cr4
  or eax, 0x4000                       ; SMXE
  mov cr4, eax
  mov ecx, 0x3a                        ; IA32_FEATURE_CONTROL
  rdmsr
  mov [0x9000], eax
  mov [0x9004], edx
  mov eax, 4                           ; GETSEC[SENTER]
  mov ebx, 0x200000
  mov ecx, 0x8000
  xor edx, edx
  getsec
  hlt
