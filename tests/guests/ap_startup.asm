; SMP bring-up the way firmware and kernels do it. The BSP (started in flat
; protected mode at 0x8100 by the scenario) sends INIT, SIPI, SIPI to "all
; excluding self" through the xAPIC ICR; the SIPI vector 0x08 starts every
; AP in real mode at 0x0800:0000 = 0x8000, the trampoline below. Each AP
; loads this file's GDT, enters protected mode, takes a ticket with
; `lock xadd` on a shared counter, records its xAPIC ID in a table indexed
; by that ID, and parks with cli; hlt. The BSP waits with a PAUSE loop until
; the counter reaches 3, prints "<n> APs up" and halts.
; Scenario: scenarios/core/ap-startup.json (4 CPUs, APIC IDs 0..3).
;
; Data: counter (dword) at 0x9000, ID table (one byte per APIC ID, written
; as 0x80 | id) at 0x9010.
TRAMPOLINE   equ 0x8000        ; page-aligned, below 1 MiB
SIPI_VECTOR  equ TRAMPOLINE >> 12

bits 16
org TRAMPOLINE

APIC_ID      equ 0xfee00020
APIC_ICR_LO  equ 0xfee00300
APIC_ICR_HI  equ 0xfee00310
ICR_BUSY     equ 1 << 12       ; delivery status
ICR_INIT     equ 0x000c4500    ; all excluding self | level assert | INIT
ICR_SIPI     equ 0x000c4600    ; all excluding self | level assert | start-up
COUNTER      equ 0x9000
ID_TABLE     equ 0x9010
COM1         equ 0x3f8

; ---- AP trampoline: CS = 0x0800, IP = 0 -------------------------------------
ap_entry:
  jmp 0x0000:ap_real             ; run with CS = 0 so labels are linear addresses
ap_real:
  cli
  xor ax, ax
  mov ds, ax
  lgdt [gdtr]
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp 0x08:ap32

bits 32
ap32:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov eax, 1
  lock xadd [COUNTER], eax       ; eax = this AP's ticket (0, 1 or 2)
  mov ebx, [APIC_ID]
  shr ebx, 24                    ; ebx = xAPIC ID
  mov ecx, ebx
  or ecx, 0x80                   ; flags: for APIC ID 1, 0x81 has even parity: PF=1
  mov [ID_TABLE + ebx], cl
; IF is clear (APIC ID 1: EFLAGS = 0x6, bit 1 + PF): nothing wakes a parked AP.
.park:
  cli
  hlt
  jmp .park

align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff          ; 0x08: flat 32-bit code
  dq 0x00cf92000000ffff          ; 0x10: flat data
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dd gdt

; ---- BSP: flat protected mode (the platform's CS = 0x10, DS = 0x18) -------
times 0x100 - ($ - $$) db 0
bsp_entry:                       ; = 0x8100
  mov esp, 0x7c00
  mov dword [APIC_ICR_HI], 0     ; destination unused with a shorthand
  mov eax, ICR_INIT
  call send_ipi
  mov eax, ICR_SIPI | SIPI_VECTOR
  call send_ipi
  mov eax, ICR_SIPI | SIPI_VECTOR
  call send_ipi                  ; the second SIPI is ignored by running APs
.wait:
  cmp dword [COUNTER], 3
  jae .all_up
  pause
  jmp .wait
.all_up:
  mov dx, COM1
  mov al, [COUNTER]
  add al, '0'
  out dx, al
  mov esi, msg
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  mov edi, 0xb5b5b5b5            ; marker: the BSP got here
  hlt

; eax = ICR low word; waits until the previous IPI was delivered first.
send_ipi:
.busy:
  test dword [APIC_ICR_LO], ICR_BUSY
  jnz .busy
  mov [APIC_ICR_LO], eax
  ret

msg: db " APs up", 13, 10, 0
