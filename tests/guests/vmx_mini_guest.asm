; tboot's AP mini-guest (tboot txt/vmcs.c, common/boot.S), reduced to what
; a scenario can check. The BSP (flat protected mode at 0x8100) starts the
; AP with INIT-SIPI-SIPI into the real-mode trampoline at 0x8000; the AP
; enters protected mode, turns on paging with 4 MiB identity pages, sets
; CR0.NE and CR4.VMXE, executes VMXON, VMCLEAR and VMPTRLD, builds the VMCS
; as tboot's construct_vmcs() does (host and guest sharing its state) and
; launches a guest that counts and pauses, as _mini_guest does. The BSP
; waits for the guest to run, sends INIT to the AP (VM exit 3), and halts
; once the AP's host handler has put the guest into the wait-for-SIPI
; activity state and resumed it, as tboot's vmx_vmexit_handler() does.
; Scenario: scenarios/txt/vmx-mini-guest.json.
;
; Data: guest counter 0x9000, exits taken 0x9004, exit reasons 0x9010+4n,
; VMXON region 0xb000, VMCS 0xc000, page directory 0x20000, AP stack 0x7000.
TRAMPOLINE   equ 0x8000
SIPI_VECTOR  equ TRAMPOLINE >> 12
APIC_ICR_LO  equ 0xfee00300
APIC_ICR_HI  equ 0xfee00310
ICR_BUSY     equ 1 << 12
ICR_INIT_ALL equ 0x000c4500      ; all excluding self | level assert | INIT
ICR_SIPI_ALL equ 0x000c4600      ; all excluding self | level assert | start-up
ICR_INIT     equ 0x00004500      ; destination field | level assert | INIT
COUNTER      equ 0x9000
EXITS        equ 0x9004
REASONS      equ 0x9010
VMXON_REGION equ 0xb000
VMCS_REGION  equ 0xc000
PAGE_DIR     equ 0x20000

bits 16
org TRAMPOLINE

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
%macro VMW 2                     ; field, value (not in eax)
  mov eax, %1
  mov ecx, %2
  vmwrite eax, ecx
%endmacro

ap32:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov fs, ax
  mov gs, ax
  mov esp, 0x7000
  mov ax, 0x18                   ; a TSS: VM entry needs a usable TR (tboot's load_TR)
  ltr ax
  ; 4 MiB identity pages over the first 4 MiB and the local APIC's page.
  mov dword [PAGE_DIR], 0x83
  mov dword [PAGE_DIR + 0x3fb * 4], 0xfec00083
  mov eax, PAGE_DIR
  mov cr3, eax
  mov eax, cr4
  or eax, 0x2010                 ; VMXE | PSE
  mov cr4, eax
  mov eax, cr0
  or eax, 0x80000020             ; PG | NE
  mov cr0, eax
  ; The revision identifier IA32_VMX_BASIC reports, in both regions.
  mov ecx, 0x480
  rdmsr
  mov [VMXON_REGION], eax
  mov [VMCS_REGION], eax
  vmxon [vmxon_ptr]
  jbe fail
  vmclear [vmcs_ptr]
  jbe fail
  vmptrld [vmcs_ptr]
  jbe fail
  ; Controls: the capability MSRs' must-be-1 bits plus NMI exiting, INVLPG
  ; and MWAIT exiting, acknowledge interrupt on exit (tboot's init_vmx_ctrl).
  mov ecx, 0x481
  rdmsr
  or eax, 0x8
  mov ebx, eax
  VMW 0x4000, ebx
  mov ecx, 0x482
  rdmsr
  or eax, 0x600
  mov ebx, eax
  VMW 0x4002, ebx
  mov ecx, 0x483
  rdmsr
  or eax, 0x8000
  mov ebx, eax
  VMW 0x400c, ebx
  mov ecx, 0x484
  rdmsr
  mov ebx, eax
  VMW 0x4012, ebx
  ; Host and guest: this CPU's own state.
  VMW 0x0c00, 0x10
  VMW 0x0c02, 0x08
  VMW 0x0c04, 0x10
  VMW 0x0c06, 0x10
  VMW 0x0c08, 0x10
  VMW 0x0c0a, 0x10
  VMW 0x0c0c, 0x18
  VMW 0x0800, 0x10
  VMW 0x0802, 0x08
  VMW 0x0804, 0x10
  VMW 0x0806, 0x10
  VMW 0x0808, 0x10
  VMW 0x080a, 0x10
  VMW 0x080c, 0
  VMW 0x080e, 0x18
  mov ebx, 0x4800                ; ES..GS limits
.limits:
  VMW ebx, 0xffffffff
  add ebx, 2
  cmp ebx, 0x480c
  jb .limits
  mov ebx, 0x4814                ; ES..GS access rights: data, except CS
.rights:
  VMW ebx, 0xc093
  add ebx, 2
  cmp ebx, 0x4820
  jb .rights
  VMW 0x4816, 0xc09b
  mov ebx, 0x6806                ; ES..GS bases
.bases:
  VMW ebx, 0
  add ebx, 2
  cmp ebx, 0x6812
  jb .bases
  VMW 0x6812, 0
  VMW 0x480c, 0xffff
  VMW 0x4820, 0x8082             ; LDTR: an LDT, present (tboot's values)
  VMW 0x6814, tss
  VMW 0x480e, 0x67
  VMW 0x4822, 0x008b             ; TR: busy 32-bit TSS
  VMW 0x6c06, 0
  VMW 0x6c08, 0
  VMW 0x6c0a, tss
  VMW 0x6816, gdt
  VMW 0x4810, gdt_end - gdt - 1
  VMW 0x6c0c, gdt
  VMW 0x6818, 0
  VMW 0x4812, 0xffff
  VMW 0x6c0e, 0
  mov ebx, cr0
  VMW 0x6c00, ebx
  VMW 0x6800, ebx
  VMW 0x6004, ebx
  mov ebx, cr3
  VMW 0x6c02, ebx
  VMW 0x6802, ebx
  mov ebx, cr4
  VMW 0x6c04, ebx
  VMW 0x6804, ebx
  VMW 0x6006, ebx
  VMW 0x681a, 0x400
  pushfd
  pop ebx
  VMW 0x6820, ebx
  VMW 0x681c, 0x6000             ; guest stack
  VMW 0x6c14, 0x7000             ; host stack
  VMW 0x681e, guest
  VMW 0x6c16, host_handler
  VMW 0x6000, 0xffffffff
  VMW 0x6002, 0xffffffff
  VMW 0x4826, 0                  ; active
  VMW 0x2800, 0xffffffff
  VMW 0x2801, 0xffffffff
  VMW 0x4004, 0x4008
  vmlaunch
fail:
  mov dword [COUNTER], 0xbad
  cli
  hlt

; The mini-guest: count and pause (tboot's spins on aps_exit_guest).
guest:
  inc dword [COUNTER]
  pause
  jmp guest

; VM exits: log the reason; INIT puts the guest in wait-for-SIPI.
host_handler:
  mov eax, 0x4402
  vmread ecx, eax
  mov ebx, [EXITS]
  mov [REASONS + ebx * 4], ecx
  inc dword [EXITS]
  cmp ecx, 3
  jne .stay
  VMW 0x4826, 3
  vmresume
.stay:
  cli
  hlt

align 8
vmxon_ptr: dq VMXON_REGION
vmcs_ptr: dq VMCS_REGION
gdt:
  dq 0
  dq 0x00cf9a000000ffff          ; 0x08: flat 32-bit code
  dq 0x00cf92000000ffff          ; 0x10: flat data
  dw 0x67, tss, 0x8900, 0        ; 0x18: 32-bit TSS (available), base below 64 KiB
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dd gdt
tss:
  times 0x68 db 0

; ---- BSP: flat protected mode ------------------------------------------------
times 0x800 - ($ - $$) db 0
bsp_entry:                       ; = 0x8800
  mov esp, 0x7c00
  mov dword [APIC_ICR_HI], 0
  mov eax, ICR_INIT_ALL
  call send_ipi
  mov eax, ICR_SIPI_ALL | SIPI_VECTOR
  call send_ipi
  mov eax, ICR_SIPI_ALL | SIPI_VECTOR
  call send_ipi
.run:                            ; the guest runs
  pause
  cmp dword [COUNTER], 100
  jb .run
  mov dword [APIC_ICR_HI], 1 << 24
  mov eax, ICR_INIT
  call send_ipi
.exit:                           ; the INIT exit was handled
  pause
  cmp dword [EXITS], 1
  jb .exit
  mov ecx, 1000                  ; time for the VMRESUME
.settle:
  pause
  loop .settle
  mov esi, msg
  call com1_puts
  hlt

send_ipi:
.busy:
  test dword [APIC_ICR_LO], ICR_BUSY
  jnz .busy
  mov [APIC_ICR_LO], eax
  ret

%include "com1.inc"

msg: db "AP in its VMX mini-guest, waiting for SIPI", 13, 10, 0
