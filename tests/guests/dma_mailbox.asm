; A guest bus masters talk to (scenarios/core/dma-steps.json).
; Flat protected mode at 0x8000. It leaves 0x600df00d at SHARED, then spins
; until MAILBOX holds "DMA!" (0x21414d44), which only the scenario's timed
; DMA write puts there. At REPORT (0x8016, the first instruction after the
; loop) the scenario's second step reads SHARED: it must get 0x600df00d, as
; the store at REPORT has not run yet. Then the guest overwrites SHARED with
; 0x0badf00d, prints "mailbox: DMA!" on COM1 and halts.
MAILBOX equ 0x9000
SHARED  equ 0x9100

bits 32
org 0x8000
start:
  mov dword [SHARED], 0x600df00d     ; 10 bytes
spin:
  cmp dword [MAILBOX], 0x21414d44    ; 10 bytes
  jne spin                           ; 2 bytes
report:                              ; 0x8016
  mov dword [SHARED], 0x0badf00d
  mov dx, 0x3f8
  mov esi, msg
.prefix:
  lodsb
  test al, al
  jz .mail
  out dx, al
  jmp .prefix
.mail:
  mov esi, MAILBOX                   ; the DMA's four bytes; the dword after them is 0
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  mov al, 10
  out dx, al
.halt:
  hlt
  jmp .halt
msg: db "mailbox: ", 0
