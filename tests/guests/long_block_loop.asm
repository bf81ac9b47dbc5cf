; An endless loop whose body is one long straight-line block: 99 NOPs and a
; jump back, 100 instructions per pass. Used to check that the instruction
; budget stops the run near the budget even when blocks are long.
; Scenario: scenarios/core/budget-long-blocks.json.
bits 32
org 0x100000

loop_top:
  times 99 nop
  jmp loop_top
