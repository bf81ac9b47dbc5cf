; A Multiboot kernel that stores zeros over low memory (0x500-0x7fff)
; without reloading any segment register, then goes on running 32-bit code.
; That is legal (the segment registers keep the hidden parts they were loaded
; with; Multiboot even says the GDTR may be invalid), and QEMU and a bare
; Unicorn engine run it to its end. dlsim once took code size and segment
; bases from the boot GDT it had written at 0x500 and decoded the rest as
; 16-bit code (issue 17, exactness defect 1).
;
; It then reads RDTSC around three instructions, two with 32-bit immediates
; (the delta is 4 when every instruction is counted and the second RDTSC
; intercepted as 32-bit code; it is kept in a register, not printed, so the
; output and instruction count do not depend on the clock on a bare engine),
; prints a checksum on COM1 and halts with EAX = delta, ECX = checksum.
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010000          ; a.out kludge: the addresses below
header:
  dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
  dd header, header, load_end, bss_end, start

start:
  mov esp, stack_top
  cld
  mov edi, 0x500
  mov ecx, (0x8000 - 0x500) / 4
  xor eax, eax
  rep stosd
  jmp after_store                ; a new block, decoded after the store

after_store:
  rdtsc
  mov ebx, eax
  mov ecx, 0x12345678
  add ecx, 0x11111111
  rdtsc
  sub eax, ebx
  push eax
  ; a loop of blocks with 32-bit immediates: checksum 0x100 rounds
  mov edx, 0x100
  xor ecx, ecx
.round:
  add ecx, 0x01020304
  xor ecx, 0x5a5a5a5a
  rol ecx, 3
  dec edx
  jnz .round
  mov eax, ecx
  mov esi, msg_sum
  call com1_puts
  call com1_hex32
  pop eax
  hlt

%include "com1.inc"
%include "com1_hex32.inc"

msg_sum: db "checksum ", 0
load_end:

; align=16 instead of `alignb 16` (the same addresses): nasm 2.16.01's alignb
; macro brackets its resb with [warning push]/[warning pop], which that
; version's assembler reports as unknown warning names under -w+all.
section .bss align=16
stack: resb 4096
stack_top:
bss_end:
