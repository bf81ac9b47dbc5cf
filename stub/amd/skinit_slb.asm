; The reference secure loader for AMD SKINIT: a Secure Loader Block image
; (APM vol. 2 15.27.2), position independent (SKINIT may place it at any
; 64 KiB aligned base; EAX holds that base at entry). The pre-launch driver
; (skinit_driver.asm) loads it at SLB_BASE.
;
; Entry state (APM 15.27.6): flat 32-bit protected mode, CS 0x08 and SS 0x10
; flat, DS/ES/FS/GS still real-mode segments (so every access before the own
; GDT goes through SS:), ESP = base + 64 KiB, GIF = 0, VM_CR.R_INIT = 1.
; The SL:
;   1. loads its own GDT (built from EAX), reloads CS, DS, ES, FS, GS, SS;
;   2. starts the APs with a start-up IPI to all but itself; each AP (real
;      mode at AP_TRAMPOLINE, copied there from this image) counts itself in
;      AP_COUNT and halts with its GIF = 0 (SKINIT's SIPI cleared it);
;   3. clears VM_CR.R_INIT, then STGI (as Linux does: an INIT then resets
;      rather than raising #SX), so the BSP ends with GIF = 1;
;   4. writes one line to COM1 and halts.
; Header word +4 (after the two the CPU reads) is the offset of its error
; path, `fail`.
; Nothing else is measured: the CPU measured this image (header length).
bits 32
org 0

%define VM_CR 0xC0010114
%define VM_CR_R_INIT 2
%define AP_TRAMPOLINE 0x9000        ; SIPI vector 9
%define AP_COUNT 0x9100             ; u16, incremented by every AP

slb_header:
  dw entry                          ; +0 entry offset
  dw slb_end                        ; +2 image length (measured)
  dw fail                           ; +4 (this SL's own field) its error path

entry:
  mov ebp, eax                      ; the SLB base
  ; 1. The own GDT: patch the descriptor's base, load it, reload segments.
  lea ebx, [ebp + gdt_desc]
  lea ecx, [ebp + gdt]
  mov [ss:ebx + 2], ecx
  lgdt [ss:ebx]
  lea eax, [ebp + .flat_cs]
  push dword 0x08
  push eax
  retf
.flat_cs:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov fs, ax
  mov gs, ax
  mov ss, ax
  ; 2. The APs: copy the trampoline below 1 MiB, SIPI to all but self.
  mov word [AP_COUNT], 0
  lea esi, [ebp + ap_trampoline]
  mov edi, AP_TRAMPOLINE
  mov ecx, ap_trampoline_end - ap_trampoline
  cld
  rep movsb
  mov dword [0xFEE00300], 0x000C4600 | (AP_TRAMPOLINE >> 12)
  ; 3. VM_CR.R_INIT off, then GIF = 1.
  mov ecx, VM_CR
  rdmsr
  and eax, ~VM_CR_R_INIT
  wrmsr
  stgi
  ; 4. The line, then halt.
  lea esi, [ebp + msg]
  call com1_puts
.halt:
  cli
  hlt
  jmp .halt

; The error path, as TrenchBoot's SKL takes it on bad boot loader data: UD2
; with GIF = 0 and no IDT, a shutdown only RESET leaves (APM 15.27.6); AMD
; has no error register. The driver's ESI bit 4 enters the SL here.
fail:
  ud2

%include "com1_puts_macro.inc"
COM1_PUTS com1_puts

align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff             ; 0x08 flat 32-bit code
  dq 0x00cf92000000ffff             ; 0x10 flat data
gdt_end:
gdt_desc:
  dw gdt_end - gdt - 1
  dd 0                              ; patched: base + gdt

msg: db "dlsim amd slb: secure loader running", 10, 0

; Real mode at AP_TRAMPOLINE (CS = 0x900, DS = 0 after the SIPI).
bits 16
ap_trampoline:
  lock inc word [AP_COUNT]
.h:
  cli
  hlt
  jmp .h
ap_trampoline_end:

slb_end:
