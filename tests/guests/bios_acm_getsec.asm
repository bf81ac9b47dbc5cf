; The code of a BIOS ACM stand-in (docs/txt-model.md, "BIOS ACM stand-ins")
; that executes one GETSEC leaf inside authenticated code execution mode:
; EAX = EDI (which ENTERACCS keeps from its caller), EBX = 0, the other
; registers as ENTERACCS left them (EDX = the caller's GDTR base, never 0
; for a caller with a GDT). The build signs it into guests/bios_acm_getsec.acm
; (`dlsim mkacm cfl-client-tpm2 --type bios --code bios_acm_getsec.bin`).
; What it breaks, by the leaf the caller (tests/guests/txt_rules.asm) asks for:
;   2 ENTERACCS, 4 SENTER  getsec.<leaf>.not-ac-mode (an AC module may not
;                          enter another, nor launch);
;   3 EXITAC               getsec.exitac.edx-zero (an ACM that returns
;                          without clearing EDX).
; and, called by the MLE of the stub built with -DMLE_ACM_LEAF=n
; (stub/txt/txt_stub.asm) inside the measured environment:
;   5 SEXIT, 7 SMCTRL, 8 WAKEUP  getsec.<leaf>.not-ac-mode.
; A fault goes through the caller's IDT (selector 0x08 is flat code in the
; module's GDT too); nothing here returns.
; Scenarios: scenarios/txt/rules/getsec.{enteraccs,senter,sexit,smctrl,wakeup}.
; not-ac-mode.json, getsec.exitac.edx-zero.json.
bits 32
org 0
  mov eax, edi
  xor ebx, ebx
  getsec
  ud2                                  ; not reached
