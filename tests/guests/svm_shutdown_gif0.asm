; A failed secure launch as AMD platforms end one (scenarios/amd/
; svm-shutdown-gif-clear.json): with EFER.SVME set, CLGI clears GIF, then UD2
; with no IDT: #UD -> #GP -> #DF cannot be delivered and the CPU shuts down
; with GIF = 0, which only RESET leaves. Flat protected mode, entered at 0x100000.
bits 32
org 0x100000

start:
  mov ecx, 0xc0000080                 ; EFER.SVME
  rdmsr
  or eax, 0x1000
  wrmsr
  clgi
  ud2
