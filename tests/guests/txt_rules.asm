; Breaks GETSEC's strict launch rules (docs/txt-rules.md), one per run
; (scenarios/txt/rules/). The scenario picks the processor state by the
; entry address (one 8-byte slot per state below) and GETSEC's operands by
; the entry registers EAX (leaf), EBX, ECX, EDX, which every state keeps.
;
; Protected-mode states (entry mode "protected"; each loads its own GDT,
; IDT and TSS, sets CR4.SMXE, CR0.NE and clears CR0.CD/NW unless it says
; otherwise, then executes GETSEC at SITE, 0x20400):
;   0x20000 plain        as above
;   0x20008 no_smxe      CR4.SMXE = 0
;   0x20010 prefixed     REP GETSEC at SITE_REP (0x20410)
;   0x20018 ring3        GETSEC at SITE from CPL 3 (IRET to flat ring-3 segments)
;   0x20020 cache_off    CR0.CD = 1
;   0x20028 no_ne        CR0.NE = 0
;   0x20030 not_bsp      IA32_APIC_BASE.BSP cleared first (WRMSR 0x1B)
;   0x20038 vm86         GETSEC at SITE_REAL in virtual-8086 mode (IRET with
;                        EFLAGS.VM = 1 to CS 0x2000, IP 0x680; CR0.PE stays 1)
;   0x20040 ap_awake     the other CPUs started first (INIT, SIPI to AP_PARK,
;                        where each counts in at AP_UP and halts): GETSEC once
;                        one has, so they neither wait for SIPI nor sleep
; ESI and EDI keep the scenario's values (GETSEC[ENTERACCS] passes them to
; the AC module).
; Real mode (entry mode "real", CS 0x2000, IP 0x600): sets CR4.SMXE and
;   IVT vectors 6 and 13, GETSEC at SITE_REAL (0x20680).
;
; A fault ends in a handler that writes to RES (0x9000): +0 the vector
; (6 #UD, 13 #GP), +4 the error code (#GP), +8 the faulting EIP (real
; mode: IP), then halts. A GETSEC that completes writes 0x600D to +0 and
; halts; nothing is written when a rule in mode "stop" ends the run.
bits 32
BASE equ 0x20000
org BASE

RES      equ 0x9000
SAVE     equ 0x9100                  ; EAX, EBX, ECX, EDX as the scenario set them
STACK0   equ 0x1F000                 ; ring 0 (also the TSS's ESP0)
STACK3   equ 0x1E000                 ; ring 3
CR4_SMXE equ 1 << 14
CR0_NE   equ 1 << 5
CR0_NW   equ 1 << 29
CR0_CD   equ 1 << 30
EFLAGS_VM equ 1 << 17
APIC_ICR_LO equ 0xFEE00300
APIC_ICR_HI equ 0xFEE00310
ICR_INIT  equ 0x000C4500             ; all excluding self, level assert, INIT
ICR_SIPI  equ 0x000C4600             ; all excluding self, level assert, start-up
AP_UP     equ 0x9200                 ; APs that started (each adds 1)
SEL_CODE0 equ 0x08
SEL_DATA0 equ 0x10
SEL_CODE3 equ 0x18 | 3
SEL_DATA3 equ 0x20 | 3
SEL_TSS   equ 0x28

%macro SLOT 1
  jmp near %1
  align 8, db 0xCC
%endmacro

slots:
  SLOT plain
  SLOT no_smxe
  SLOT prefixed
  SLOT ring3
  SLOT cache_off
  SLOT no_ne
  SLOT not_bsp
  SLOT vm86
  SLOT ap_awake

; Keeps the scenario's operands, takes a stack and sets the common state.
%macro PROLOGUE 0
  mov [SAVE + 0], eax
  mov [SAVE + 4], ebx
  mov [SAVE + 8], ecx
  mov [SAVE + 12], edx
  mov esp, STACK0
  call setup
%endmacro

%macro OPERANDS 0
  mov eax, [SAVE + 0]
  mov ebx, [SAVE + 4]
  mov ecx, [SAVE + 8]
  mov edx, [SAVE + 12]
%endmacro

plain:
  PROLOGUE
  OPERANDS
  jmp SITE

no_smxe:
  PROLOGUE
  mov eax, cr4
  and eax, ~CR4_SMXE
  mov cr4, eax
  OPERANDS
  jmp SITE

prefixed:
  PROLOGUE
  OPERANDS
  jmp SITE_REP

ring3:
  PROLOGUE
  mov ax, SEL_DATA3
  mov ds, ax
  mov es, ax
  push dword SEL_DATA3
  push dword STACK3
  push dword 0x2                     ; EFLAGS: IF = 0
  push dword SEL_CODE3
  push dword SITE
  OPERANDS
  iretd

cache_off:
  PROLOGUE
  mov eax, cr0
  or eax, CR0_CD
  mov cr0, eax
  OPERANDS
  jmp SITE

no_ne:
  PROLOGUE
  mov eax, cr0
  and eax, ~CR0_NE
  mov cr0, eax
  OPERANDS
  jmp SITE

not_bsp:
  PROLOGUE
  mov ecx, 0x1B
  rdmsr
  and eax, ~(1 << 8)
  wrmsr
  OPERANDS
  jmp SITE

vm86:
  PROLOGUE
  push dword 0                       ; GS, FS, DS, ES
  push dword 0
  push dword 0
  push dword 0
  push dword 0                       ; SS
  push dword 0x8000                  ; ESP
  push dword EFLAGS_VM | 0x2         ; IF = 0
  push dword BASE >> 4               ; CS
  push dword SITE_REAL - $$          ; IP
  OPERANDS
  iretd

ap_awake:
  PROLOGUE
  mov dword [APIC_ICR_HI], 0         ; destination unused with a shorthand
  mov dword [APIC_ICR_LO], ICR_INIT
  mov dword [APIC_ICR_LO], ICR_SIPI | ((AP_PARK - $$ + BASE) >> 12)
.wait:
  pause
  cmp dword [AP_UP], 0
  je .wait
  OPERANDS
  jmp SITE

setup:
  lgdt [gdtr]
  jmp SEL_CODE0:.reload
.reload:
  mov ax, SEL_DATA0
  mov ds, ax
  mov es, ax
  mov ss, ax
  lidt [idtr]
  mov ax, SEL_TSS
  ltr ax
  mov eax, cr4
  or eax, CR4_SMXE
  mov cr4, eax
  mov eax, cr0
  or eax, CR0_NE
  and eax, ~(CR0_CD | CR0_NW)
  mov cr0, eax
  ret

; Faults (ring 0, through the IDT).
ud_handler:
  mov dword [RES + 0], 6
  mov eax, [esp]                     ; EIP (no error code)
  mov [RES + 8], eax
  jmp halt
gp_handler:
  mov dword [RES + 0], 13
  mov eax, [esp]                     ; error code
  mov [RES + 4], eax
  mov eax, [esp + 4]                 ; EIP
  mov [RES + 8], eax
  jmp halt
other_handler:
  mov dword [RES + 0], 0xEE
halt:
  cli
  hlt
  jmp halt

  times 0x400 - ($ - $$) db 0xCC
SITE:
  getsec
  mov dword [RES + 0], 0x600D
  hlt
  jmp $

  times 0x410 - ($ - $$) db 0xCC
SITE_REP:
  rep getsec
  mov dword [RES + 0], 0x600D
  hlt
  jmp $

  align 8, db 0
gdt:
  dq 0
  dq 0x00CF9A000000FFFF              ; 0x08 code, ring 0, flat 4 GiB
  dq 0x00CF92000000FFFF              ; 0x10 data, ring 0
  dq 0x00CFFA000000FFFF              ; 0x18 code, ring 3
  dq 0x00CFF2000000FFFF              ; 0x20 data, ring 3
  ; 0x28 32-bit TSS (available), limit 0x67
  dw 0x67
  dw (tss - $$ + BASE) & 0xFFFF
  db ((tss - $$ + BASE) >> 16) & 0xFF
  db 0x89, 0x00
  db ((tss - $$ + BASE) >> 24) & 0xFF
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dd gdt

  align 8, db 0
idt:
%assign v 0
%rep 32
  %if v == 6
    %define H ud_handler
  %elif v == 13
    %define H gp_handler
  %else
    %define H other_handler
  %endif
  dw (H - $$ + BASE) & 0xFFFF
  dw SEL_CODE0
  db 0, 0x8E                         ; 32-bit interrupt gate, DPL 0
  dw (H - $$ + BASE) >> 16
  %undef H
  %assign v v + 1
%endrep
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt

  align 4, db 0
tss:
  dd 0                               ; back link
  dd STACK0                          ; ESP0
  dd SEL_DATA0                       ; SS0
  times 0x66 - 12 db 0
  dw 0x68                            ; no I/O permission bitmap

; ---- real mode: CS = 0x2000, so offsets below are IPs --------------------
  times 0x600 - ($ - $$) db 0xCC
bits 16
real_entry:
  mov esi, eax                       ; the leaf, kept
  xor ax, ax
  mov ds, ax
  mov ss, ax
  mov sp, 0x8000
  mov word [6 * 4], real_ud - $$
  mov word [6 * 4 + 2], BASE >> 4
  mov word [13 * 4], real_gp - $$
  mov word [13 * 4 + 2], BASE >> 4
  mov eax, cr4
  or eax, CR4_SMXE
  mov cr4, eax
  mov eax, esi
  jmp SITE_REAL

real_ud:
  mov dword [RES + 0], 6
  jmp real_record
real_gp:
  mov dword [RES + 0], 13
real_record:
  pop ax                             ; IP of the faulting instruction
  mov [RES + 8], ax
.halt:
  cli
  hlt
  jmp .halt

  times 0x680 - ($ - $$) db 0xCC
SITE_REAL:
  getsec
  mov dword [RES + 0], 0x600D
  hlt
  jmp $

; ---- the APs of state ap_awake: real mode, CS = 0x2100, IP = 0 ----------
  times 0x1000 - ($ - $$) db 0xCC
AP_PARK:
  xor ax, ax
  mov ds, ax
  lock inc dword [AP_UP]
.park:
  cli
  hlt
  jmp .park
