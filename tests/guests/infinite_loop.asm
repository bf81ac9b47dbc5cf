; `jmp $`: one instruction, forever. Only the instruction budget
; (machine.max_instructions) ends the run.
; Scenario: scenarios/core/infinite-loop.json.
bits 32
org 0x100000

start:
  mov eax, 0x1007               ; one instruction before the loop
  jmp $
