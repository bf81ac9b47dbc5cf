; A fault with no usable IDT: the guest loads an IDT of limit 0, then divides
; by zero. #DE (vector 0) is beyond the limit -> #GP; #GP is beyond it too,
; and two contributory faults make #DF; #DF is beyond it -> triple fault,
; the CPU shuts down. Flat protected mode (platform CS = 0x10) at 0x100000.
; Scenario: scenarios/core/triple-fault.json.
bits 32
org 0x100000

start:
  lidt [idtr]                   ; 0x100000, 7 bytes
  mov eax, 0x7f                 ; 0x100007, 5 bytes
  xor ecx, ecx                  ; 0x10000c, 2 bytes
  div ecx                       ; 0x10000e: #DE, never completes
  hlt

idtr:
  dw 0                          ; limit 0: no gate fits
  dd 0
