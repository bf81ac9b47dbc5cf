; Delivery with a privilege change in long mode. Started in long mode by the
; platform; builds its own page tables (2 MiB pages, user-accessible: the
; first 8 MiB identity-mapped at 0x10000..), GDT (64-bit ring-0 code 0x08,
; data 0x10, ring-3 data 0x18 / code 0x20, a 64-bit TSS at 0x7000 with
; RSP0 = 0x9008 and IST1 = 0xa008) and IDT (INT 0x80: DPL-3 interrupt gate,
; IST 0; #GP: DPL-0 interrupt gate, IST 1), then IRETQs to ring 3
; (CS 0x23, SS 0x1b, RSP 0x8000, RFLAGS 0x2) and runs:
;   0x100200  int 0x80  -> ring 0 on RSP0 aligned down to 16: 0x9000
;   0x100202  cli       -> #GP(0) on IST1 aligned down: 0xa000
; Each handler logs, first thing, its RSP, SS and CS, then the frame:
;   0x5000: int 0x80: RSP, SS, CS, RIP, CS, RFLAGS, RSP, SS   (qwords)
;   0x5040: #GP:      RSP, SS, CS, error, RIP, CS, RFLAGS, RSP, SS
; Expected (scenarios/core/long-mode-ring3.json): 0x9000 - 5*8 = 0x8fd8,
; SS 0 (null, RPL = new CPL 0), CS 0x08, frame 0x100202, 0x23, 0x2, 0x8000,
; 0x1b; #GP: 0xa000 - 6*8 = 0x9fd0, 0, 0x08, error 0, 0x100202, 0x23, 0x2,
; 0x8000, 0x1b. The #GP handler then halts.
bits 64
org 0x100000

LOG equ 0x5000
TSS equ 0x7000
SCR equ 0x5f00

start:
  jmp setup
times 0x200 - ($ - $$) db 0x90
user:                          ; 0x100200, ring 3
  int 0x80
  cli
  jmp $

setup:
  mov rsp, 0x9f000
  ; page tables: PML4 0x10000 -> PDPT 0x11000 -> PD 0x12000 (4 x 2 MiB)
  mov edi, 0x10000
  xor eax, eax
  mov ecx, 3 * 4096 / 4
  rep stosd
  mov dword [0x10000], 0x11007   ; P, RW, US
  mov dword [0x11000], 0x12007
  mov eax, 0x87                  ; P, RW, US, PS
  mov edi, 0x12000
  mov ecx, 4
.pd:
  mov [rdi], eax
  add eax, 0x200000
  add edi, 8
  loop .pd
  mov eax, 0x10000
  mov cr3, rax
  lgdt [rel gdtr]
  push 0x08
  lea rax, [rel .flush]
  push rax
  retfq
.flush:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov edi, TSS
  xor eax, eax
  mov ecx, 0x68 / 4
  rep stosd
  mov qword [TSS + 4], 0x9008    ; RSP0
  mov qword [TSS + 0x24], 0xa008 ; IST1
  mov ax, 0x28
  ltr ax
  lea rax, [rel int80_handler]
  mov ebx, 0x80
  mov edx, 0xee00                ; present, DPL 3, interrupt gate, IST 0
  call set_gate
  lea rax, [rel gp_handler]
  mov ebx, 13
  mov edx, 0x8e01                ; present, DPL 0, interrupt gate, IST 1
  call set_gate
  lidt [rel idtr]
  push 0x1b                      ; SS
  push 0x8000                    ; RSP
  push 0x2                       ; RFLAGS
  push 0x23                      ; CS
  push user
  iretq

set_gate:                        ; rax = handler, ebx = vector, edx = attributes
  shl ebx, 4
  lea rsi, [rel idt]
  add rsi, rbx
  mov [rsi], ax
  mov word [rsi + 2], 0x08
  mov [rsi + 4], dx
  shr rax, 16
  mov [rsi + 6], ax
  shr rax, 16
  mov [rsi + 8], eax
  ret

int80_handler:
  mov [SCR], rsp
  mov edi, LOG
  call log_entry
  mov rsi, rsp
  mov ecx, 5
  rep movsq
  iretq

gp_handler:
  mov [SCR], rsp
  mov edi, LOG + 0x40
  call log_entry
  mov rsi, rsp
  mov ecx, 6
  rep movsq
.halt:
  hlt
  jmp .halt

log_entry:
  mov rax, [SCR]
  stosq
  xor eax, eax
  mov ax, ss
  stosq
  mov ax, cs
  stosq
  ret

align 8
gdt:
  dq 0
  dq 0x00209a0000000000          ; 0x08 64-bit ring-0 code
  dq 0x0000920000000000          ; 0x10 ring-0 data
  dq 0x0000f20000000000          ; 0x18 ring-3 data
  dq 0x0020fa0000000000          ; 0x20 64-bit ring-3 code
  dq 0x0000890070000067, 0       ; 0x28 64-bit TSS at 0x7000, limit 0x67
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dq gdt
align 16
idt:
  times 256 dq 0, 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dq idt
