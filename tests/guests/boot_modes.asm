; Walks the x86 boot ladder on its own: real mode -> 32-bit protected mode
; (own GDT, far jump) -> 64-bit long mode (own PAE page tables, EFER.LME
; through WRMSR, CR0.PG, far jump to a 64-bit code segment). Each stage
; prints one line to COM1; the last stage loads distinctive values into
; r8..r15 and halts. Scenario: scenarios/core/boot-modes.json.
;
; Memory used: code at 0x7c00, stack below it, page tables at 0x10000
; (PML4), 0x11000 (PDPT), 0x12000 (PD: 2 MiB pages for the first 4 MiB).
; The page walk sets the accessed bit (0x20) in PML4[0] and PDPT[0] and
; accessed + dirty (0x60) in PD[0] (code and stack live there); PD[1] maps
; 2..4 MiB, which nothing touches, so it stays 0x83.
bits 16
org 0x7c00

COM1      equ 0x3f8
PML4      equ 0x10000
PDPT      equ 0x11000
PD        equ 0x12000
EFER_MSR  equ 0xc0000080
EFER_LME  equ 1 << 8
CR0_PE    equ 1
CR0_PG    equ 1 << 31
CR4_PAE   equ 1 << 5

start16:
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, 0x7c00
  mov si, msg_real
  call puts16
  lgdt [gdtr]
  mov eax, cr0
  or eax, CR0_PE
  mov cr0, eax
  jmp CODE32:start32          ; reloads CS: now 32-bit protected mode

; si = NUL-terminated string
puts16:
  mov dx, COM1
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  ret

bits 32
start32:
  mov ax, DATA
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x7c00
  mov esi, msg_prot
  call puts32

  ; Zero the three table pages, then link PML4[0] -> PDPT[0] -> PD, and
  ; map 0..4 MiB with two 2 MiB pages (present | writable | PS).
  mov edi, PML4
  mov ecx, 3 * 4096 / 4
  xor eax, eax
  rep stosd
  mov dword [PML4], PDPT | 3
  mov dword [PDPT], PD | 3
  mov dword [PD], 0x000000 | 0x83
  mov dword [PD + 8], 0x200000 | 0x83

  mov eax, cr4
  or eax, CR4_PAE
  mov cr4, eax
  mov eax, PML4
  mov cr3, eax
  mov ecx, EFER_MSR
  rdmsr
  or eax, EFER_LME
  wrmsr
  mov eax, cr0
  or eax, CR0_PG                ; paging on: EFER.LMA becomes 1
  mov cr0, eax
  jmp CODE64:start64           ; a 64-bit code segment: now long mode

puts32:
  mov dx, COM1
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  ret

bits 64
start64:
  mov rsp, 0x7c00
  mov rsi, msg_long
  call puts64
  mov r8,  0x0808080808080808
  mov r9,  0x1111111111111111
  mov r10, 0x1010101010101010
  mov r11, 0xfedcba9876543210
  mov r12, 0x0123456789abcdef
  mov r13, 0x8000000000000001
  mov r14, 0xdeadbeefcafef00d
  mov r15, 0x7fffffffffffffff
  hlt

puts64:
  mov dx, COM1
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  ret

msg_real: db "stage 1: real mode", 13, 10, 0
msg_prot: db "stage 2: protected mode", 13, 10, 0
msg_long: db "stage 3: long mode", 13, 10, 0

; GDT: null, 0x08 flat 32-bit code, 0x10 flat data, 0x18 64-bit code.
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff         ; base 0, limit 4 GiB, code, D=1, G=1
  dq 0x00cf92000000ffff         ; base 0, limit 4 GiB, data, B=1, G=1
  dq 0x00209a0000000000         ; code, L=1, D=0
gdt_end:
CODE32 equ 0x08
DATA   equ 0x10
CODE64 equ 0x18
gdtr:
  dw gdt_end - gdt - 1
  dd gdt
