; A double fault through a task gate (32-bit protected mode). Started in flat
; protected mode by the platform. GDT at 0x100400: ring-0 code 0x08, data
; 0x10, TSS A 0x18 (the running task, at 0x7000), TSS B 0x20 (the #DF task,
; at 0x7100: EIP = df_task, ESP = 0x9800, CS 0x08, SS/DS/ES 0x10, EFLAGS 0x2).
; The IDT has a task gate to 0x20 for #DF and nothing else (limit covers 32
; vectors), so DIV by zero at 0x100100 gives #DE -> #NP(0x3) (entry 0 not
; present; EXT = 1) -> #DF -> task switch to B, error code 0 pushed.
; EDX:EAX = 0:0x600dcafe at the DIV (saved into TSS A). The #DF task logs:
;   0x5000: back-link of TSS B       (0x18)
;   0x5004: TSS A saved EIP          (0x100100, the DIV)
;   0x5008: TSS A saved EAX          (0x600dcafe)
;   0x500c: error code on its stack  (0)
;   0x5010: ESP after popping it     (0x9800)
;   0x5014: EFLAGS                   (0x4002: NT set)
;   0x5018: TR                       (0x20)
;   0x501c: type bytes of TSS A and B descriptors (0x8b, 0x8b: both busy), CR0.TS (8), 0
; then prints "df task" and halts. Scenario: scenarios/core/df-task-gate.json.
bits 32
org 0x100000

LOG  equ 0x5000
TSSA equ 0x7000
TSSB equ 0x7100

start:
  jmp setup
times 0x100 - ($ - $$) db 0x90
fault:                         ; 0x100100
  div ecx
  jmp $

setup:
  lgdt [gdtr]
  jmp 0x08:.flush
.flush:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x9f000
  mov edi, TSSA
  xor eax, eax
  mov ecx, 0x200 / 4
  rep stosd
  mov dword [TSSB + 0x20], df_task
  mov dword [TSSB + 0x24], 0x2
  mov dword [TSSB + 0x38], 0x9800
  mov word [TSSB + 0x48], 0x10   ; ES
  mov word [TSSB + 0x4c], 0x08   ; CS
  mov word [TSSB + 0x50], 0x10   ; SS
  mov word [TSSB + 0x54], 0x10   ; DS
  mov ax, 0x18
  ltr ax
  mov dword [idt + 8*8], 0x00200000  ; task gate: TSS selector 0x20
  mov dword [idt + 8*8 + 4], 0x8500  ; present, DPL 0, task gate
  lidt [idtr]
  mov eax, 0x600dcafe
  xor edx, edx
  xor ecx, ecx
  jmp fault

df_task:
  movzx eax, word [TSSB]
  mov [LOG], eax
  mov eax, [TSSA + 0x20]
  mov [LOG + 4], eax
  mov eax, [TSSA + 0x28]
  mov [LOG + 8], eax
  pop eax
  mov [LOG + 0xc], eax
  mov [LOG + 0x10], esp
  pushfd
  pop eax
  mov [LOG + 0x14], eax
  xor eax, eax
  str ax
  mov [LOG + 0x18], eax
  mov al, [gdt + 0x18 + 5]
  mov [LOG + 0x1c], al
  mov al, [gdt + 0x20 + 5]
  mov [LOG + 0x1d], al
  mov eax, cr0
  and al, 8
  mov [LOG + 0x1e], al
  mov byte [LOG + 0x1f], 0
  mov esi, msg
  call com1_puts
.halt:
  hlt
  jmp .halt

%include "com1.inc"

msg: db "df task", 13, 10, 0

times 0x400 - ($ - $$) db 0
gdt:                           ; 0x100400
  dq 0
  dq 0x00cf9a000000ffff        ; 0x08 code
  dq 0x00cf92000000ffff        ; 0x10 data
  dq 0x0000890070000067        ; 0x18 TSS A at 0x7000
  dq 0x0000890071000067        ; 0x20 TSS B at 0x7100
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dd gdt
align 8
idt:
  times 32 dq 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt
