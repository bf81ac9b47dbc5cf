; SVM disabled by the BIOS (scenarios/amd/svm-disabled-by-bios.json, VM_CR =
; LOCK | SVMDIS): setting EFER.SVME raises #GP (EDI counts them), a write
; clearing VM_CR leaves LOCK and SVMDIS set (ESI reads it back), CLGI without
; SVME raises #UD (EBP counts them). Flat protected mode (platform CS = 0x10),
; entered at 0x100000.
bits 32
org 0x100000

start:
  mov esp, 0x90000
  mov eax, ud_handler
  mov [idt + 6*8], ax
  mov word [idt + 6*8 + 2], 0x10
  mov word [idt + 6*8 + 4], 0x8e00
  shr eax, 16
  mov [idt + 6*8 + 6], ax
  mov eax, gp_handler
  mov [idt + 13*8], ax
  mov word [idt + 13*8 + 2], 0x10
  mov word [idt + 13*8 + 4], 0x8e00
  shr eax, 16
  mov [idt + 13*8 + 6], ax
  lidt [idtr]
  xor edi, edi
  xor ebp, ebp
  mov ecx, 0xc0000080                 ; EFER.SVME: #GP (SVMDIS)
  rdmsr
  or eax, 0x1000
  wrmsr                               ; 2 bytes: the handler skips it
  mov ecx, 0xc0010114                 ; VM_CR <- 0: LOCK and SVMDIS stay
  xor eax, eax
  xor edx, edx
  wrmsr
  rdmsr
  mov esi, eax
  clgi                                ; 3 bytes: #UD (no SVME)
  hlt

gp_handler:
  inc edi
  add esp, 4                          ; drop the error code
  add dword [esp], 2                  ; skip the WRMSR
  iretd

ud_handler:
  inc ebp
  add dword [esp], 3                  ; skip the CLGI
  iretd

align 8
idt:
  times 32 dq 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt
