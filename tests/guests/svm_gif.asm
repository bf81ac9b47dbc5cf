; The AMD global interrupt flag (scenarios/amd/svm-gif-holds-interrupt.json):
; with EFER.SVME set, CLGI clears GIF; a self IPI (vector 0x40) then stays
; pending in the local APIC (EBX reads the handler's marker: still 0); STGI
; sets GIF and the interrupt is taken (ECX reads 0x40). Flat protected mode
; (platform CS = 0x10), entered at 0x100000.
bits 32
org 0x100000

start:
  mov esp, 0x90000
  mov eax, int40_handler
  mov [idt + 0x40*8], ax
  mov word [idt + 0x40*8 + 2], 0x10   ; selector: the boot code segment
  mov word [idt + 0x40*8 + 4], 0x8e00 ; present 32-bit interrupt gate
  shr eax, 16
  mov [idt + 0x40*8 + 6], ax
  lidt [idtr]
  mov dword [0xfee000f0], 0x1ff       ; APIC software enable
  sti
  mov ecx, 0xc0000080                 ; EFER.SVME
  rdmsr
  or eax, 0x1000
  wrmsr
  clgi
  mov dword [0xfee00300], 0x00040040  ; self IPI, vector 0x40
  pause
  mov ebx, [marker]
  stgi
  pause
  mov ecx, [marker]
  hlt

int40_handler:
  mov dword [marker], 0x40
  mov dword [0xfee000b0], 0           ; EOI
  iretd

marker: dd 0
align 8
idt:
  times 0x41 dq 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt
