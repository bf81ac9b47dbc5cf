; Real mode "hello" on COM1, then HLT. The smallest useful dlsim guest.
bits 16
org 0x7c00
start:
  mov si, msg
  mov dx, 0x3f8
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  mov ax, 0x600d
  hlt
msg: db "hello from dlsim", 13, 10, 0
