; Two RDTSCs with two NOPs between them, all in one straight-line block.
; With the TSC counting retired instructions, the second read is exactly 4
; above the first (RDTSC, MOV, NOP, NOP retire in between): EAX = 4 at the
; HLT. Flat protected mode (platform CS = 0x10) at 0x100000.
; Scenario: scenarios/core/rdtsc-step.json.
bits 32
org 0x100000

start:
  rdtsc
  mov ebx, eax
  nop
  nop
  rdtsc
  sub eax, ebx
  hlt
