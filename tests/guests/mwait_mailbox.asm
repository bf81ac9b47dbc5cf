; APs sleeping in MONITOR/MWAIT on a mailbox, and a BSP that may wake them.
; The BSP (flat protected mode at 0x8100) starts two APs with INIT-SIPI-SIPI.
; Each AP stays in real mode: it counts itself in PARKED, then loops
;   MONITOR the mailbox line; if the mailbox is still 0, MWAIT
; (the check between MONITOR and MWAIT closes the lost-wake-up race) and
; counts in SI how often MWAIT returned. Once the mailbox is non-zero it
; writes 0xd0 | APIC ID into DONE[APIC ID], counts itself in DONE_COUNT and
; parks with cli; hlt.
; The BSP waits until both APs are parked. With EBX = 0 at entry it halts
; without touching the mailbox (the APs stay in MWAIT for good); with
; EBX = 1 it writes the mailbox, waits for DONE_COUNT = 2 and prints.
; Scenarios: scenarios/core/mwait-wakeup.json (EBX = 1) and
; scenarios/core/mwait-sleeping.json (EBX = 0).
;
; Each shared variable has its own 64-byte line: a write to PARKED or DONE
; must not look like a write to the monitored mailbox.
TRAMPOLINE   equ 0x8000
SIPI_VECTOR  equ TRAMPOLINE >> 12
MAILBOX      equ 0x9000          ; byte, monitored line 0x9000..0x903f
PARKED       equ 0x9040          ; word: APs that reached the MWAIT loop
DONE_COUNT   equ 0x9080          ; word: APs that saw the mail
DONE         equ 0x90c0          ; byte per APIC ID
APIC_ICR_LO  equ 0xfee00300
APIC_ICR_HI  equ 0xfee00310
ICR_BUSY     equ 1 << 12
ICR_INIT     equ 0x000c4500      ; all excluding self | assert | INIT
ICR_SIPI     equ 0x000c4600      ; all excluding self | assert | start-up

bits 16
org TRAMPOLINE

; ---- AP, real mode -------------------------------------------------------
ap_entry:
  jmp 0x0000:ap_real
ap_real:
  cli
  xor ax, ax
  mov ds, ax
  mov eax, 1
  cpuid
  shr ebx, 24                    ; bx = initial APIC ID (CPUID.1:EBX[31:24])
  xor si, si                     ; MWAIT returns
  lock inc word [PARKED]
.check:
  mov ax, MAILBOX                ; MONITOR DS:AX, no extensions, no hints
  xor ecx, ecx
  xor edx, edx
  monitor
  cmp byte [MAILBOX], 0
  jne .mail
  xor eax, eax                   ; hint C1
  xor ecx, ecx
  mwait
  inc si
  jmp .check
.mail:
  mov al, bl
  or al, 0xd0
  mov [DONE + bx], al
  lock inc word [DONE_COUNT]
.park:
  cli
  hlt
  jmp .park

; ---- BSP: flat protected mode (the platform's CS = 0x10, DS = 0x18) -------
bits 32
times 0x100 - ($ - $$) db 0
bsp_entry:                       ; = 0x8100; EBX = 1: wake the APs
  mov esp, 0x7c00
  mov dword [APIC_ICR_HI], 0
  mov eax, ICR_INIT
  call send_ipi
  mov eax, ICR_SIPI | SIPI_VECTOR
  call send_ipi
  mov eax, ICR_SIPI | SIPI_VECTOR
  call send_ipi
.wait_parked:
  cmp word [PARKED], 2
  jae .parked
  pause
  jmp .wait_parked
.parked:
  test ebx, ebx
  jnz .wake
  mov esi, msg_sleeping
  call com1_puts
  cli
  hlt                            ; nothing left that could wake anybody

.wake:
  mov byte [MAILBOX], 1          ; changes the monitored line
.wait_done:
  cmp word [DONE_COUNT], 2
  jae .done
  pause
  jmp .wait_done
.done:
  mov esi, msg_woke
  call com1_puts
  hlt

; eax = ICR low word; waits until the previous IPI was delivered first.
send_ipi:
.busy:
  test dword [APIC_ICR_LO], ICR_BUSY
  jnz .busy
  mov [APIC_ICR_LO], eax
  ret

%include "com1.inc"

msg_sleeping: db "2 APs parked in MWAIT; not waking them", 13, 10, 0
msg_woke:     db "2 APs woke from MWAIT", 13, 10, 0
