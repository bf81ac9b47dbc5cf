; Pre-launch code that runs a BIOS ACM stand-in (bios_acm_standin.asm) with
; GETSEC[ENTERACCS]: sets CR0.NE and CR4.SMXE, ENTERACCS with EBX = the
; module at 0x200000, ECX = its size (0x8000), ESI = 3 (the BIOS ACM NOP
; function), EDI = 0. EXITAC brings it back after the GETSEC: it writes
; 0x600d at 0x9000, the return address EXITAC used at 0x9004, TXT.ERRORCODE
; as public space reads it at 0x9008 and TXT.STS at 0x900c, and halts.
; Scenario: scenarios/txt/enteraccs-bios-acm.json.
bits 32
org 0x100000
  mov esp, 0x90000                     ; the stand-in's far return uses the caller's stack
  mov eax, cr0
  or eax, 0x20                         ; NE
  mov cr0, eax
  mov eax, cr4
  or eax, 0x4000                       ; SMXE
  mov cr4, eax
  mov eax, 2                           ; GETSEC[ENTERACCS]
  mov ebx, 0x200000
  mov ecx, 0x8000
  mov esi, 3
  xor edi, edi
  getsec
returned:
  mov dword [0x9000], 0x600d
  call here
here:
  pop eax
  sub eax, here - returned
  mov [0x9004], eax
  mov eax, [0xfed30030]                ; ERRORCODE (public space)
  mov [0x9008], eax
  mov eax, [0xfed30000]                ; STS
  mov [0x900c], eax
  hlt
