; The guest of the example in docs/scenario-format.md (a test runs that
; example): a Multiboot2 kernel as a flat binary with an address tag. It
; checks the boot magic, writes "OK" at 0x7000, prints "boot ok" on COM1 and
; halts at 0x100100, where the example's stop address is.
bits 32
org 0x100000
header:
  dd 0xE85250D6                                          ; magic
  dd 0                                                   ; architecture: i386 protected mode
  dd header_end - header
  dd 0x100000000 - (0xE85250D6 + (header_end - header))  ; checksum
  dw 2, 0                                                ; address tag
  dd 24
  dd header, header, image_end, image_end                ; header, load, load end, bss end
  dw 3, 0                                                ; entry address tag
  dd 12
  dd start
  dd 0                                                   ; tags are 8-byte aligned
  dw 0, 0                                                ; end tag
  dd 8
header_end:

start:
  mov esp, 0x90000                                       ; Multiboot leaves ESP undefined (dlsim: 0)
  mov esi, bad_magic
  cmp eax, 0x36D76289
  jne .say
  mov word [0x7000], 'OK'
  mov esi, boot_ok
.say:
  call com1_puts
  jmp done

%include "com1.inc"

boot_ok: db "boot ok", 13, 10, 0
bad_magic: db "bad magic", 13, 10, 0

times 0x100 - ($ - $$) db 0
done:                                                    ; 0x100100
  hlt
  jmp done
image_end:
