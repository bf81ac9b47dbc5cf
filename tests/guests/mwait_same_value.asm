; MWAIT wakes on a store to the monitored line even when the store writes
; the value the line already holds (hardware watches stores, not values).
; The AP arms MONITOR on MAILBOX (which holds 0), says so in READY (another
; line of the same page), and waits in MWAIT. The BSP waits for READY,
; stores 0 into MAILBOX and halts. The AP must wake, set WOKE and halt.
; Scenario: scenarios/core/mwait-same-value.json (2 CPUs).
TRAMPOLINE   equ 0x8000
SIPI_VECTOR  equ TRAMPOLINE >> 12
MAILBOX      equ 0x9000          ; monitored line 0x9000..0x903f, stays 0
READY        equ 0x9040          ; byte: the AP's monitor is armed
WOKE         equ 0x9080          ; byte: the AP left MWAIT
APIC_ICR_LO  equ 0xfee00300
APIC_ICR_HI  equ 0xfee00310
ICR_BUSY     equ 1 << 12
ICR_INIT     equ 0x000c4500      ; all excluding self | assert | INIT
ICR_SIPI     equ 0x000c4600      ; all excluding self | assert | start-up

bits 16
org TRAMPOLINE

; ---- AP, real mode, CS = 0x0800 ------------------------------------------
ap_entry:
  cli
  xor ax, ax
  mov ds, ax
  mov ax, MAILBOX                ; MONITOR DS:AX, no extensions, no hints
  xor ecx, ecx
  xor edx, edx
  monitor
  mov byte [READY], 1
  xor eax, eax
  xor ecx, ecx
  mwait
  mov byte [WOKE], 1
.park:
  hlt
  jmp .park

; ---- BSP: flat protected mode ----------------------------------------------
bits 32
times 0x100 - ($ - $$) db 0
bsp_entry:                       ; = 0x8100
  mov esp, 0x7c00
  mov dword [APIC_ICR_HI], 0
  mov eax, ICR_INIT
  call send_ipi
  mov eax, ICR_SIPI | SIPI_VECTOR
  call send_ipi
.wait_ready:
  cmp byte [READY], 1
  je .ready
  pause
  jmp .wait_ready
.ready:
  mov byte [MAILBOX], 0          ; the same value: only the store itself can wake the AP
  mov edi, 0x5a5e0000            ; marker: the BSP got here
  hlt

send_ipi:
.busy:
  test dword [APIC_ICR_LO], ICR_BUSY
  jnz .busy
  mov [APIC_ICR_LO], eax
  ret
