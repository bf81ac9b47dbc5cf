; STGI with VM_CR.R_INIT still set: the rule svm.stgi-while-r-init (APM
; vol. 2 15.27.8, 15.28), in scenarios/amd/svm-stgi-while-r-init-stop.json
; (the run stops at the STGI) and -hardware.json (what the CPU does).
; The BSP (flat protected mode at 0x8100, the platform's CS = 0x10) sets
; EFER.SVME and VM_CR.R_INIT, runs CLGI then STGI (GIF = 1, R_INIT still 1),
; and starts the AP (INIT, SIPI, SIPI to all excluding self; vector 0x08:
; the trampoline at 0x8000). The AP enters protected mode and sends an INIT
; to APIC ID 0. With R_INIT set and GIF = 1 the BSP takes it as #SX (vector
; 30, error code 1: "INIT redirected", APM 15.28) instead of an INIT: the
; handler records ESI = VM_CR, EDX = the error code, EBX = 30 and halts.
; Without the #SX the BSP would stay in the INIT state (wait-for-SIPI).
TRAMPOLINE   equ 0x8000
SIPI_VECTOR  equ TRAMPOLINE >> 12
APIC_ICR_LO  equ 0xfee00300
APIC_ICR_HI  equ 0xfee00310
ICR_BUSY     equ 1 << 12
ICR_INIT_ALL equ 0x000c4500    ; all excluding self | level assert | INIT
ICR_SIPI_ALL equ 0x000c4600    ; all excluding self | level assert | start-up
ICR_INIT_DST equ 0x00004500    ; destination field (ICR high) | level assert | INIT
MSR_EFER     equ 0xc0000080
EFER_SVME    equ 1 << 12
MSR_VM_CR    equ 0xc0010114
VM_CR_R_INIT equ 1 << 1
SX_VECTOR    equ 30

bits 16
org TRAMPOLINE

; ---- AP: CS = 0x0800, IP = 0 -------------------------------------------------
ap_entry:
  jmp 0x0000:ap_real
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
  mov esp, 0x7000                ; below the BSP's stack
  mov dword [APIC_ICR_HI], 0     ; APIC ID 0: the BSP
  mov eax, ICR_INIT_DST
  call send_ipi
.park:
  cli
  hlt
  jmp .park

; eax = ICR low word; waits until the previous IPI was delivered first.
send_ipi:
.busy:
  test dword [APIC_ICR_LO], ICR_BUSY
  jnz .busy
  mov [APIC_ICR_LO], eax
  ret

align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff          ; 0x08: flat 32-bit code
  dq 0x00cf92000000ffff          ; 0x10: flat data
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dd gdt

; ---- BSP -----------------------------------------------------------------------
times 0x100 - ($ - $$) db 0
bsp_entry:                       ; = 0x8100
  mov esp, 0x7c00
  mov eax, sx_handler
  mov [idt + SX_VECTOR*8], ax
  mov word [idt + SX_VECTOR*8 + 2], 0x10   ; the boot code segment
  mov word [idt + SX_VECTOR*8 + 4], 0x8e00 ; present 32-bit interrupt gate
  shr eax, 16
  mov [idt + SX_VECTOR*8 + 6], ax
  lidt [idtr]
  mov ecx, MSR_EFER
  rdmsr
  or eax, EFER_SVME
  wrmsr
  mov ecx, MSR_VM_CR
  rdmsr
  or eax, VM_CR_R_INIT
  wrmsr
  clgi
  stgi                           ; R_INIT still set: the rule is broken here
  mov dword [APIC_ICR_HI], 0
  mov eax, ICR_INIT_ALL
  call send_ipi
  mov eax, ICR_SIPI_ALL | SIPI_VECTOR
  call send_ipi
  mov eax, ICR_SIPI_ALL | SIPI_VECTOR
  call send_ipi
.wait:                           ; IF = 0: only the #SX ends this
  cli
  hlt
  jmp .wait

sx_handler:
  mov ecx, MSR_VM_CR
  rdmsr
  mov esi, eax                   ; VM_CR
  pop edx                        ; the #SX error code
  mov ebx, SX_VECTOR
.halt:
  cli
  hlt
  jmp .halt

align 8
idt:
  times SX_VECTOR + 1 dq 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt
