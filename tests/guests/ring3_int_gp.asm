; Delivery with a privilege change in 32-bit protected mode. Started in flat
; protected mode by the platform. Builds its own GDT (ring-0 and ring-3
; code/data, a 32-bit TSS at 0x7000 with SS0:ESP0 = 0x10:0x9000) and an IDT,
; then IRETs to ring 3 (CS 0x1b, SS 0x23, ESP 0x8000, EFLAGS 0x2) and runs:
;   0x100100  int 0x80   trap gate, DPL 3   -> ring-0 handler on SS0:ESP0
;   0x100102  int 0x81   gate DPL 0 < CPL 3 -> #GP(0x81*8+2 = 0x40a), EIP = the INT
;   0x100104  cli        IOPL 0 < CPL 3     -> #GP(0)
; Each ring-0 handler logs, first thing, its ESP, SS and CS, then the frame
; the CPU pushed (from the lowest address up):
;   0x5000: int 0x80: ESP, SS, CS, EIP, CS, EFLAGS, ESP, SS
;   0x5040: first #GP: ESP, SS, CS, error, EIP, CS, EFLAGS, ESP, SS
;   0x5080: second #GP: the same
; Expected (scenarios/core/ring3-int-gp.json): int 0x80 runs on ESP
; 0x9000 - 5*4 = 0x8fec, SS 0x10, CS 0x08, frame 0x100102, 0x1b, 0x2,
; 0x8000, 0x23. Each #GP runs on 0x9000 - 6*4 = 0x8fe8 (the handler returned
; to ring 3 in between, so the stack starts again at ESP0). The first #GP
; handler resumes past the INT (saved EIP + 2); the second prints and halts.
bits 32
org 0x100000

LOG   equ 0x5000
TSS   equ 0x7000
SCR   equ 0x5f00              ; ESP at handler entry
COUNT equ 0x5f04

start:
  jmp setup

times 0x100 - ($ - $$) db 0x90
user:                          ; 0x100100, ring 3
  int 0x80
  int 0x81
  cli
  jmp $

setup:
  lgdt [gdtr]
  jmp 0x08:.flush
.flush:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov fs, ax
  mov gs, ax
  mov esp, 0x9f000
  mov edi, TSS
  xor eax, eax
  mov ecx, 0x68 / 4
  rep stosd
  mov dword [TSS + 4], 0x9000  ; ESP0
  mov word [TSS + 8], 0x10     ; SS0
  mov dword [COUNT], 0
  mov ax, 0x28
  ltr ax
  mov eax, int80_handler
  mov ebx, 0x80
  mov edx, 0xef00              ; present, DPL 3, 32-bit trap gate
  call set_gate
  mov ebx, 0x81
  mov edx, 0x8e00              ; present, DPL 0, 32-bit interrupt gate
  call set_gate
  mov eax, gp_handler
  mov ebx, 13
  call set_gate
  lidt [idtr]
  push 0x23                    ; SS
  push 0x8000                  ; ESP
  push 0x2                     ; EFLAGS: IOPL 0, IF 0
  push 0x1b                    ; CS
  push user
  iret

set_gate:                      ; eax = handler, ebx = vector, edx = attributes
  mov [idt + ebx*8], ax
  mov word [idt + ebx*8 + 2], 0x08
  mov [idt + ebx*8 + 4], dx
  push eax
  shr eax, 16
  mov [idt + ebx*8 + 6], ax
  pop eax
  ret

int80_handler:
  mov [SCR], esp
  mov edi, LOG
  call log_entry
  mov esi, esp
  mov ecx, 5
  rep movsd
  iret

gp_handler:
  mov [SCR], esp
  mov edi, [COUNT]
  shl edi, 6
  add edi, LOG + 0x40
  call log_entry
  mov esi, esp
  mov ecx, 6
  rep movsd
  inc dword [COUNT]
  cmp dword [COUNT], 1
  jne .done
  add dword [esp + 4], 2       ; past the INT 0x81
  add esp, 4                   ; error code
  iret
.done:
  mov esi, msg
  call com1_puts
.halt:
  hlt
  jmp .halt

log_entry:                     ; ESP at entry, SS, CS to [edi]
  mov eax, [SCR]
  stosd
  xor eax, eax
  mov ax, ss
  stosd
  mov ax, cs
  stosd
  ret

%include "com1.inc"

msg: db "ring3 done", 13, 10, 0

align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff        ; 0x08 ring-0 code
  dq 0x00cf92000000ffff        ; 0x10 ring-0 data
  dq 0x00cffa000000ffff        ; 0x18 ring-3 code
  dq 0x00cff2000000ffff        ; 0x20 ring-3 data
  dq 0x0000890070000067        ; 0x28 32-bit TSS at 0x7000, limit 0x67
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dd gdt
align 8
idt:
  times 256 dq 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt
