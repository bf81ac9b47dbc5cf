; Code coherence between CPUs. Each CPU has its own Unicorn engine, and an
; engine sees only its own stores to code it translated. Here the BSP runs a
; function F (which prints the byte in its `mov al, imm8`), then wakes the
; AP; the AP rewrites that immediate and raises a flag; the BSP calls F
; again and must print the new byte, not replay its stale translation.
; Then the BSP rewrites F itself (self-modifying code in one engine) and
; calls it a third time. Serial: "ABC\r\n".
; Scenario: scenarios/core/code-coherence.json (2 CPUs).
;
; F lives in the same page as the BSP's code (0x8000), so stores to that
; page by either CPU hit translated code. The flag is at 0x9000.
TRAMPOLINE   equ 0x8000
SIPI_VECTOR  equ TRAMPOLINE >> 12
APIC_ICR_LO  equ 0xfee00300
APIC_ICR_HI  equ 0xfee00310
ICR_BUSY     equ 1 << 12
ICR_INIT     equ 0x000c4500    ; all excluding self | level assert | INIT
ICR_SIPI     equ 0x000c4600    ; all excluding self | level assert | start-up
FLAG         equ 0x9000
COM1         equ 0x3f8

bits 16
org TRAMPOLINE

; ---- AP, real mode, CS = 0x0800 ----------------------------------------------
ap_entry:
  cli
  xor ax, ax
  mov ds, ax
  mov byte [f_imm], 'B'          ; rewrite code the BSP has translated
  mov byte [FLAG], 1
.park:
  hlt
  jmp .park

; ---- BSP: flat protected mode ----------------------------------------------------
bits 32
times 0x100 - ($ - $$) db 0
bsp_entry:                       ; = 0x8100
  mov esp, 0x7c00
  call f                         ; 'A' (translated by the BSP's engine now)
  mov dword [APIC_ICR_HI], 0
  mov eax, ICR_INIT
  call send_ipi
  mov eax, ICR_SIPI | SIPI_VECTOR
  call send_ipi
.wait:
  cmp byte [FLAG], 1
  je .patched
  pause
  jmp .wait
.patched:
  call f                         ; 'B': the AP's store must be seen
  mov byte [f_imm], 'C'          ; the BSP rewrites F itself
  call f                         ; 'C'
  mov dx, COM1
  mov al, 13
  out dx, al
  mov al, 10
  out dx, al
  mov edi, 0xc0de0c0d            ; marker: the BSP got here
  hlt

send_ipi:
.busy:
  test dword [APIC_ICR_LO], ICR_BUSY
  jnz .busy
  mov [APIC_ICR_LO], eax
  ret

f:
  mov dx, COM1
  db 0xb0                        ; mov al, imm8
f_imm:
  db 'A'
  out dx, al
  ret
