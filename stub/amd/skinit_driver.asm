; The pre-launch driver for AMD SKINIT (the boot loader's part): real mode at
; 0x7C00 (scenario entry mode "real"), into 32-bit protected mode, EFER.SVME,
; INIT to every AP (xAPIC ICR, all excluding self, then delivery status
; idle and a delay: APM vol. 2 15.27.8), then SKINIT with EAX = SLB base.
; The secure loader image (skinit_slb.asm) is loaded at SLB_BASE by the
; scenario.
;
; Knobs, in ESI at entry (scenario "entry.registers"), for the rule scenarios:
;   bit 0  leave EFER.SVME clear
;   bit 1  start the APs (SIPI; they halt) instead of INIT: not parked
;   bit 2  run SKINIT at CPL 3
;   bit 3  rewrite the SLB header's entry offset to its length
;   bit 4  rewrite the entry offset to the SL's error path (header word +4)
; EBX, when not 0, is EAX for SKINIT instead of SLB_BASE.
bits 16
org 0x7C00

%ifndef SLB_BASE
%define SLB_BASE 0x200000
%endif
%define EFER 0xC0000080
%define EFER_SVME 0x1000
%define ICR_LOW 0xFEE00300
%define AP_PARK 0x8000              ; SIPI vector 8: where not-parked APs halt
; nasm 2.16 refuses the SKINIT mnemonic outside 64-bit mode: its bytes.
%define SKINIT db 0x0F, 0x01, 0xDE

start:
  cli
  xor ax, ax
  mov ds, ax
  lgdt [gdt_desc]
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp dword 0x08:pm

bits 32
pm:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x7000
  test esi, 1
  jnz .svme_done
  mov ecx, EFER
  rdmsr
  or eax, EFER_SVME
  wrmsr
.svme_done:
  test esi, 2
  jz .init_aps
  ; Not parked: the APs run (a HLT loop at AP_PARK).
  mov dword [AP_PARK], 0xFCEBFAF4   ; bytes F4 FA EB FC: hlt; cli; jmp back to the hlt
  mov dword [ICR_LOW], 0x000C4600 | (AP_PARK >> 12)
  jmp .wait_idle
.init_aps:
  mov dword [ICR_LOW], 0x000C4500   ; INIT, level assert, all excluding self
.wait_idle:
  test dword [ICR_LOW], 0x1000      ; delivery status
  jnz .wait_idle
  mov ecx, 1000                     ; "up to 1000 cycles" for the APs to sense INIT
  loop $
  test esi, 8
  jz .header_done
  mov ax, [SLB_BASE + 2]
  mov [SLB_BASE], ax                ; entry offset := length
.header_done:
  test esi, 0x10
  jz .error_path_done
  mov ax, [SLB_BASE + 4]
  mov [SLB_BASE], ax                ; entry offset := the SL's error path
.error_path_done:
  mov eax, SLB_BASE
  test ebx, ebx
  jz .eax_done
  mov eax, ebx
.eax_done:
  test esi, 4
  jnz ring3
  SKINIT
  ud2                               ; not reached: SKINIT jumps into the SLB

; CPL 3: IRET to ring-3 code that executes SKINIT (#GP(0)).
ring3:
  mov ebp, eax
  push dword 0x23                   ; SS: ring-3 data
  push dword 0x6000                 ; ESP
  push dword 0x2                    ; EFLAGS
  push dword 0x1B                   ; CS: ring-3 code
  push dword .user
  iret
.user:
  mov eax, ebp
  SKINIT
  ud2

align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff             ; 0x08 ring-0 code
  dq 0x00cf92000000ffff             ; 0x10 ring-0 data
  dq 0x00cffa000000ffff             ; 0x18 ring-3 code (0x1B with RPL 3)
  dq 0x00cff2000000ffff             ; 0x20 ring-3 data (0x23)
gdt_end:
gdt_desc:
  dw gdt_end - gdt - 1
  dd gdt
