; Interrupts and exceptions in real mode go through the IVT at 0:0.
; The guest installs two vectors:
;   INT 0x21  a tiny DOS-style service: AH = 9 prints the '$'-terminated
;             string at DS:DX to COM1; every call increments DI
;   #DE (0)   divide error: counts in DE_COUNT, checks that the pushed IP
;             is the DIV that faulted (real mode pushes the faulting
;             instruction's address), prints via INT 0x21 and returns past
;             the 2-byte DIV
; Then it calls INT 0x21, divides by zero once, calls INT 0x21 again and
; halts: DI = 3 (two direct calls + one from the #DE handler),
; DE_COUNT = 1, IP_OK = 1, SP back at 0x7c00.
; With EBX = 1 at entry the guest first loads IDTR = base 0, limit 0x3ff
; itself (what code returning from protected mode does); with EBX = 0 it
; relies on the IDTR a CPU has after reset (base 0, limit 0xffff).
; Scenarios: scenarios/core/exceptions-real-mode.json (EBX = 1) and
; scenarios/core/real-mode-reset-idtr.json (EBX = 0).
bits 16
org 0x7c00

COM1      equ 0x3f8
DE_COUNT  equ 0x600              ; word
IP_OK     equ 0x602              ; word: 1 if the #DE frame held the DIV's IP

start:
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, 0x7c00
  test ebx, ebx
  jz .reset_idtr
  lidt [ivt_idtr]
.reset_idtr:
  mov word [0x21*4], int21       ; IVT entry = offset, segment
  mov word [0x21*4 + 2], 0
  mov word [0*4], de_handler
  mov word [0*4 + 2], 0
  xor di, di
  mov ah, 9
  mov dx, msg_hello
  int 0x21
  mov ax, 100
  xor cl, cl
fault_div:
  div cl                         ; AX / 0: #DE
  mov ah, 9
  mov dx, msg_done
  int 0x21
  hlt

int21:                           ; AH = 9: print DS:DX up to '$'
  inc di
  cmp ah, 9
  jne .ret
  push si
  push dx
  push ax
  mov si, dx
  mov dx, COM1
.next:
  lodsb
  cmp al, '$'
  je .end
  out dx, al
  jmp .next
.end:
  pop ax
  pop dx
  pop si
.ret:
  iret

de_handler:
  push bp
  mov bp, sp
  inc word [DE_COUNT]
  cmp word [bp + 2], fault_div   ; frame: IP, CS, FLAGS above the saved BP
  jne .skip
  mov word [IP_OK], 1
.skip:
  mov ah, 9
  mov dx, msg_de
  int 0x21
  add word [bp + 2], 2           ; resume after DIV CL (f6 f1)
  pop bp
  iret

ivt_idtr:
  dw 0x3ff                       ; 256 vectors * 4 bytes - 1
  dd 0

msg_hello: db "int 21h: hello", 13, 10, "$"
msg_de:    db "#DE caught", 13, 10, "$"
msg_done:  db "back from #DE", 13, 10, "$"
