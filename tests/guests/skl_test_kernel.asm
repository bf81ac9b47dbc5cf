; The test kernel (DLME) a TrenchBoot secure kernel loader (SKL) hands over
; to after SKINIT (docs/skl.md, svm_model/handoff): a flat Multiboot2 kernel
; loaded at SKL_KERNEL_BASE that prints on COM1 what it was handed and halts.
;
; SKL's hand-off (docs/skl.md; amd-skinit.md 4.3 step 12): SKL jumps to
; dlme_base + dlme_entry in 32-bit protected mode, paging off, CS 0x08,
; DS/ES/SS 0x10, GIF still 0, with EAX = 0x36D76289 (the Multiboot2 boot
; magic), ESI = the boot parameters (Linux zero page or Multiboot2
; information) and EBX = the boot parameters (SKL 2024) or the entry address
; (SKL 2025). ESP lies inside the SLB; the kernel takes its own stack.
;
; dlme_entry = 0x40: the entry label follows a `times` pad to 0x40 (a
; header grown past it makes the count negative, an assembly error).
;
; Output, one fact a line, numbers as 8 lower-case hex digits:
;   "skl-kernel: entered"
;   "skl-kernel: magic ok" or "skl-kernel: bad magic" (then EAX's value)
;   "skl-kernel: eax/ebx/esi/cs/ds/ss/eflags XXXXXXXX"
;   "skl-kernel: mbi total_size XXXXXXXX" (the u32 at ESI, when magic ok)
;   "skl-kernel: done"; then HLT forever.
bits 32
SKL_KERNEL_BASE equ 0x01000000     ; 16 MiB, far from a low SLB
org SKL_KERNEL_BASE

header:                            ; Multiboot2 header (no address tags)
  dd 0xE85250D6                    ; magic
  dd 0                             ; architecture: i386 protected mode
  dd header_end - header
  dd 0x100000000 - (0xE85250D6 + (header_end - header))
  dw 0, 0                          ; end tag
  dd 8
header_end:

times 0x40 - ($ - $$) db 0
entry:                             ; dlme_entry = 0x40 (docs/skl.md)
  ; Save what SKL handed over before anything clobbers it.
  mov [saved_eax], eax
  mov [saved_ebx], ebx
  mov [saved_esi], esi
  mov ax, cs
  movzx eax, ax
  mov [saved_cs], eax
  mov ax, ds
  movzx eax, ax
  mov [saved_ds], eax
  mov ax, ss
  movzx eax, ax
  mov [saved_ss], eax
  pushfd
  pop eax
  mov [saved_eflags], eax
  mov esp, stack_top

  mov esi, msg_entered
  call com1_puts
  mov esi, msg_magic_ok
  cmp dword [saved_eax], 0x36D76289
  je .magic_said
  mov esi, msg_bad_magic
.magic_said:
  call com1_puts

  mov esi, msg_eax
  mov eax, [saved_eax]
  call put_labelled
  mov esi, msg_ebx
  mov eax, [saved_ebx]
  call put_labelled
  mov esi, msg_esi
  mov eax, [saved_esi]
  call put_labelled
  mov esi, msg_cs
  mov eax, [saved_cs]
  call put_labelled
  mov esi, msg_ds
  mov eax, [saved_ds]
  call put_labelled
  mov esi, msg_ss
  mov eax, [saved_ss]
  call put_labelled
  mov esi, msg_eflags
  mov eax, [saved_eflags]
  call put_labelled

  ; The boot parameters' first u32 (Multiboot2 information: total_size).
  cmp dword [saved_eax], 0x36D76289
  jne .done
  mov esi, msg_mbi_size
  mov eax, [saved_esi]
  mov eax, [eax]
  call put_labelled
.done:
  mov esi, msg_done
  call com1_puts
.halt:
  cli
  hlt
  jmp .halt

; put_labelled: the string at ESI, then EAX as hex and a newline.
put_labelled:
  call com1_puts
  call com1_hex32
  ret

%include "com1.inc"
%include "com1_hex32.inc"

msg_entered:   db "skl-kernel: entered", 10, 0
msg_magic_ok:  db "skl-kernel: magic ok", 10, 0
msg_bad_magic: db "skl-kernel: bad magic", 10, 0
msg_eax:       db "skl-kernel: eax ", 0
msg_ebx:       db "skl-kernel: ebx ", 0
msg_esi:       db "skl-kernel: esi ", 0
msg_cs:        db "skl-kernel: cs ", 0
msg_ds:        db "skl-kernel: ds ", 0
msg_ss:        db "skl-kernel: ss ", 0
msg_eflags:    db "skl-kernel: eflags ", 0
msg_mbi_size:  db "skl-kernel: mbi total_size ", 0
msg_done:      db "skl-kernel: done", 10, 0

align 4
saved_eax:    dd 0
saved_ebx:    dd 0
saved_esi:    dd 0
saved_cs:     dd 0
saved_ds:     dd 0
saved_ss:     dd 0
saved_eflags: dd 0
align 16
stack:        times 256 db 0
stack_top:
