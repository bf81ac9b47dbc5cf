; Pre-launch code finding the BIOS's heap table: reads TXT.HEAP.BASE (public
; space 0xFED30300) and copies the first 0x40 bytes of the heap to 0x9000,
; then halts. Scenario: scenarios/txt/bios-data-power-on.json.
bits 32
org 0x100000
  mov esi, [0xfed30300]                ; TXT.HEAP.BASE
  mov edi, 0x9000
  mov ecx, 0x40
  cld
  rep movsb
  hlt
