; Page faults in 64-bit mode through a 64-bit IDT. Started in long mode by
; the platform (CS = 0x20, the first 4 GiB identity-mapped, nothing else).
; The guest installs a 16-byte interrupt gate for #PF (vector 14) and
; touches two canonical addresses above 4 GiB that no page table maps:
;   a write to 0x0000008000001234 -> error code 0x2 (not present, write)
;   a read  of 0x00007f0000000008 -> error code 0x0 (not present, read)
; The handler logs CR2 and the error code into FAULT_LOG (16 bytes per
; fault), counts in R15, and resumes at the address the main code put in
; RBP. At the HLT: R15 = 2, CR2 = the second address, R14 = 0x600d.
; Scenario: scenarios/core/long-mode-pf.json.
bits 64
org 0x100000

FAULT_LOG equ 0x180000
CODE64    equ 0x20               ; the platform's 64-bit code segment

start:
  mov rsp, 0x90000
  lea rax, [rel pf_handler]
  mov [rel idt + 14*16], ax                  ; offset 15..0
  mov word [rel idt + 14*16 + 2], CODE64     ; selector
  mov word [rel idt + 14*16 + 4], 0x8e00     ; present, DPL 0, 64-bit interrupt gate, IST 0
  shr rax, 16
  mov [rel idt + 14*16 + 6], ax              ; offset 31..16
  shr rax, 16
  mov [rel idt + 14*16 + 8], eax             ; offset 63..32
  lidt [rel idtr]
  xor r15d, r15d

  lea rbp, [rel after_write]
  mov rbx, 0x0000008000001234
  mov qword [rbx], 0x42                      ; #PF(0x2)
after_write:
  lea rbp, [rel after_read]
  mov rbx, 0x00007f0000000008
  mov rax, [rbx]                             ; #PF(0x0)
after_read:
  mov r14d, 0x600d
  hlt

pf_handler:                      ; stack: error code, RIP, CS, RFLAGS, RSP, SS
  mov rax, r15
  shl rax, 4
  mov rdx, cr2
  mov [FAULT_LOG + rax], rdx
  pop rdx                        ; error code
  mov [FAULT_LOG + rax + 8], rdx
  inc r15
  mov [rsp], rbp                 ; resume where the main code said
  iretq

align 16
idt:
  times 32 dq 0, 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dq idt
