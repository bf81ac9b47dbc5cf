; Minimal reproduction of a dlsim bug: three #GP faults raised by the MSR
; model (RDMSR of the unimplemented MSR 0x12345678) in a loop, each counted
; by an IDT handler that skips the RDMSR. Architecturally EDI = 3 at the HLT
; whatever the
; scheduler quantum; scenarios/core/rdmsr-gp-quantum.json runs it with
; machine.quantum_blocks = 1. Flat protected mode (platform CS = 0x10),
; entered at 0x100000.
bits 32
org 0x100000

start:
  mov esp, 0x90000
  mov eax, gp_handler
  mov [idt + 13*8], ax
  mov word [idt + 13*8 + 2], 0x10     ; selector: the boot code segment
  mov word [idt + 13*8 + 4], 0x8e00   ; present 32-bit interrupt gate
  shr eax, 16
  mov [idt + 13*8 + 6], ax
  lidt [idtr]
  xor edi, edi
  mov ebp, 3
.again:
  mov ecx, 0x12345678
  rdmsr                               ; #GP(0); the handler resumes at the dec
  dec ebp
  jnz .again
  hlt

gp_handler:
  inc edi
  add esp, 4                          ; drop the error code
  add dword [esp], 2                  ; skip the 2-byte RDMSR
  iretd

align 8
idt:
  times 32 dq 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt
