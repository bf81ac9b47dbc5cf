; A store to an address no RAM or device backs. The scenario gives the
; machine RAM at 0..0xa0000 and 0x100000..0x200000 only, so 0x80000000 is
; unmapped and the machine stops with unmapped-access at the storing
; instruction. Flat protected mode (platform CS = 0x10) at 0x100000.
; Scenario: scenarios/core/wild-write.json.
bits 32
org 0x100000

start:
  mov eax, 0x5a5a5a5a           ; 0x100000, 5 bytes
  mov ebx, 0x80000000           ; 0x100005, 5 bytes
  mov [ebx], eax                ; 0x10000a: the wild write
  mov eax, 0x600d               ; never reached
  hlt
