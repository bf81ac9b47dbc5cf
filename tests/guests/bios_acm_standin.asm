; The code of a BIOS ACM stand-in (docs/txt-model.md, "BIOS ACM stand-ins"):
; `dlsim mkacm cfl-client-tpm2 --type bios --code bios_acm_standin.bin`
; places it at the module's entry point (offset 0x1000) and signs the module
; with dlsim's ACM key; the build writes guests/bios_acm_standin.acm.
; GETSEC[ENTERACCS] enters it in AC mode (SDM vol. 2D): flat CS 0x08 and
; DS 0x10 from the module's GDT, EBP = the module base, EBX = the caller's
; next EIP, ECX = its GDTR limit << 16 | CS, EDX = its GDTR base; private
; space and locality 3 are open. It does what a BIOS ACM function does in
; miniature: writes TXT.ERRORCODE through private space (0xC0000001, the
; ACM success value), closes private space, puts back the caller's GDTR
; and CS and returns with GETSEC[EXITAC] to EBX.
; Scenario: scenarios/txt/enteraccs-bios-acm.json (caller: enteraccs_caller.asm).
bits 32
org 0                                  ; position-independent: addresses from EBP
TXT_PRIV        equ 0xfed20000
ERRORCODE       equ 0x30
CMD_CLOSE_PRIV  equ 0x48
SCRATCH         equ 0x7000             ; in the module: the caller's GDTR pseudo-descriptor

  mov dword [TXT_PRIV + ERRORCODE], 0xc0000001
  mov byte [TXT_PRIV + CMD_CLOSE_PRIV], 1
  mov eax, ecx
  shr eax, 16
  mov [ebp + SCRATCH], ax              ; GDTR limit
  mov [ebp + SCRATCH + 2], edx         ; GDTR base
  lgdt [ebp + SCRATCH]
  movzx ecx, cx                        ; the caller's CS, reloaded by a far return
  push ecx
  lea eax, [ebp + 0x1000 + back]
  push eax
  retf
back:
  mov eax, 3                           ; GETSEC[EXITAC]: EIP = EBX, EDX = 0
  xor edx, edx
  getsec
  ud2                                  ; not reached
