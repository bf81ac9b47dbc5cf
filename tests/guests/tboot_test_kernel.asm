; The test kernel tboot hands over to (scenarios/txt/tboot-*.json, docs/tboot.md):
; an ELF32 executable with a Multiboot2 header, written byte by byte here
; (nasm -f bin, no linker), that prints on COM1 what it was handed and halts.
;
; What tboot 1.10 does with its first module (tboot/common/loader.c,
; launch_kernel): an ELF image (is_elf_image: ELF32 little-endian, ET_EXEC,
; EM_386, EV_CURRENT, e_phentsize >= 32) whose first 32 KiB hold a Multiboot2
; header magic is "MB2_ONLY"; tboot copies its PT_LOAD segments to their
; physical addresses (expand_elf_image) and jumps to e_entry
; (jump_elf_image) in 32-bit protected mode with EAX = 0x36D76289 and EBX =
; the Multiboot2 information GRUB gave tboot, as tboot rewrote it: the first
; module (this kernel) and the SINIT removed, the command line with
; " tboot=0x<_tboot_shared>" appended (adjust_kernel_cmdline), the memory
; map replaced by tboot's copy with its own and the TXT ranges reserved
; (replace_e820_map). ESP is tboot's; Multiboot2 promises nothing about it,
; so the kernel uses its own stack.
;
; Output, one fact a line, every number 8 hex digits ("tkernel: ..."):
;   entered / magic / mbi / cr0 / eflags, then per Multiboot2 tag:
;   cmdline, loader, module (start end cmdline), meminfo (lower upper),
;   mmap (base_hi base_lo len_hi len_lo type), acpi (tag type), or
;   tag (type size) for the others; then "done" and HLT forever.
bits 32
KERNEL_BASE equ 0x4000000          ; 64 MiB: above tboot (0x800000-0x2a8b000)
org KERNEL_BASE

elf_header:
  db 0x7f, 'E', 'L', 'F'
  db 1                             ; ELFCLASS32
  db 1                             ; ELFDATA2LSB
  db 1                             ; EV_CURRENT
  db 0                             ; ELFOSABI_SYSV
  times 8 db 0
  dw 2                             ; e_type ET_EXEC
  dw 3                             ; e_machine EM_386
  dd 1                             ; e_version
  dd start                         ; e_entry
  dd program_header - $$           ; e_phoff
  dd 0                             ; e_shoff: no sections
  dd 0                             ; e_flags
  dw 52                            ; e_ehsize
  dw 32                            ; e_phentsize
  dw 1                             ; e_phnum
  dw 0, 0, 0                       ; e_shentsize, e_shnum, e_shstrndx

program_header:
  dd 1                             ; PT_LOAD
  dd 0                             ; p_offset: the whole file, headers included
  dd KERNEL_BASE                   ; p_vaddr
  dd KERNEL_BASE                   ; p_paddr (where tboot copies it)
  dd file_end - $$                 ; p_filesz
  dd image_end - $$                ; p_memsz (stack included)
  dd 7                             ; p_flags RWX
  dd 0x1000                        ; p_align

align 8
mb2_header:                        ; Multiboot2 spec 3.1.1: 8-byte aligned, first 32 KiB
  dd 0xE85250D6
  dd 0                             ; i386 protected mode
  dd mb2_header_end - mb2_header
  dd 0x100000000 - (0xE85250D6 + (mb2_header_end - mb2_header))
  dw 0, 0                          ; end tag
  dd 8
mb2_header_end:

start:
  mov esp, stack_top
  mov [magic], eax
  mov [mbi], ebx
  mov esi, s_entered
  call com1_puts
  mov esi, s_magic
  mov eax, [magic]
  call put_line_hex
  mov esi, s_mbi
  mov eax, [mbi]
  call put_line_hex
  mov esi, s_cr0
  mov eax, cr0
  call put_line_hex
  mov esi, s_eflags
  pushfd
  pop eax
  call put_line_hex
  cmp dword [magic], 0x36D76289
  jne .unknown
  call walk_mb2
  jmp .done
.unknown:
  mov esi, s_unknown
  call com1_puts
.done:
  mov esi, s_done
  call com1_puts
.halt:
  cli
  hlt
  jmp .halt

; walk_mb2: every tag of the Multiboot2 information at [mbi] (8-byte header:
; total size, reserved; then 8-byte aligned tags {u32 type, u32 size}, type 0
; ends). Stops at the total size too, so a broken structure cannot run away.
walk_mb2:
  mov ebx, [mbi]
  mov edi, ebx
  add edi, [ebx]                   ; end of the structure
  mov esi, s_total
  mov eax, [ebx]
  call put_line_hex
  add ebx, 8
.tag:
  lea eax, [ebx + 8]
  cmp eax, edi
  ja .out
  mov eax, [ebx]
  test eax, eax
  jz .out
  cmp eax, 1
  je .cmdline
  cmp eax, 2
  je .loader
  cmp eax, 3
  je .module
  cmp eax, 4
  je .meminfo
  cmp eax, 6
  je .mmap
  cmp eax, 14
  je .acpi
  cmp eax, 15
  je .acpi
  mov esi, s_tag                   ; any other tag: type and size
  call com1_puts
  call put_hex
  call put_space
  mov eax, [ebx + 4]
  call put_hex
  call put_nl
  jmp .next
.cmdline:
  mov esi, s_cmdline
  call com1_puts
  lea esi, [ebx + 8]
  call com1_puts
  call put_nl
  jmp .next
.loader:
  mov esi, s_loader
  call com1_puts
  lea esi, [ebx + 8]
  call com1_puts
  call put_nl
  jmp .next
.module:
  mov esi, s_module
  call com1_puts
  mov eax, [ebx + 8]
  call put_hex
  call put_space
  mov eax, [ebx + 12]
  call put_hex
  call put_space
  lea esi, [ebx + 16]
  call com1_puts
  call put_nl
  jmp .next
.meminfo:
  mov esi, s_meminfo
  call com1_puts
  mov eax, [ebx + 8]
  call put_hex
  call put_space
  mov eax, [ebx + 12]
  call put_hex
  call put_nl
  jmp .next
.acpi:
  mov esi, s_acpi
  call com1_puts
  call put_hex                     ; eax still holds the tag type
  call put_nl
  jmp .next
.mmap:                             ; u32 entry_size, u32 entry_version, entries
  mov ecx, ebx
  add ecx, 16
  mov edx, ebx
  add edx, [ebx + 4]               ; end of this tag
.entry:
  mov eax, ecx
  add eax, 24
  cmp eax, edx
  ja .next
  mov esi, s_mmap
  call com1_puts
  mov eax, [ecx + 4]
  call put_hex
  call put_space
  mov eax, [ecx]
  call put_hex
  call put_space
  mov eax, [ecx + 12]
  call put_hex
  call put_space
  mov eax, [ecx + 8]
  call put_hex
  call put_space
  mov eax, [ecx + 16]
  call put_hex
  call put_nl
  mov eax, [ebx + 8]
  cmp eax, 24                      ; an entry size below the spec's 24 would loop
  jb .next
  add ecx, eax
  jmp .entry
.next:
  mov eax, [ebx + 4]
  add eax, 7
  and eax, ~7
  cmp eax, 8
  jb .out                          ; a size below a tag header: stop
  add ebx, eax
  jmp .tag
.out:
  ret

; put_line_hex: string at esi, eax in hex, newline.
put_line_hex:
  call com1_puts
  call put_hex
  jmp put_nl

; put_hex: eax as 8 lower-case hex digits. Preserves every register.
put_hex:
  push eax
  push ebx
  push ecx
  push edx
  mov ebx, eax
  mov ecx, 8
  mov dx, 0x3f8
.digit:
  rol ebx, 4
  mov al, bl
  and al, 0x0f
  add al, '0'
  cmp al, '9'
  jbe .out
  add al, 'a' - '0' - 10
.out:
  out dx, al
  loop .digit
  pop edx
  pop ecx
  pop ebx
  pop eax
  ret

put_space:
  push eax
  push edx
  mov dx, 0x3f8
  mov al, ' '
  out dx, al
  pop edx
  pop eax
  ret

put_nl:
  push eax
  push edx
  mov dx, 0x3f8
  mov al, 10
  out dx, al
  pop edx
  pop eax
  ret

%include "com1.inc"

s_entered: db "tkernel: entered", 10, 0
s_magic:   db "tkernel: magic ", 0
s_mbi:     db "tkernel: mbi ", 0
s_cr0:     db "tkernel: cr0 ", 0
s_eflags:  db "tkernel: eflags ", 0
s_unknown: db "tkernel: not a Multiboot2 hand-off", 10, 0
s_total:   db "tkernel: mbi size ", 0
s_cmdline: db "tkernel: cmdline ", 0
s_loader:  db "tkernel: loader ", 0
s_module:  db "tkernel: module ", 0
s_meminfo: db "tkernel: meminfo ", 0
s_mmap:    db "tkernel: mmap ", 0
s_acpi:    db "tkernel: acpi tag ", 0
s_tag:     db "tkernel: tag ", 0
s_done:    db "tkernel: done", 10, 0

align 4
magic: dd 0
mbi:   dd 0
  times 0x1000 db 0                ; the stack, in the file (no bss: one segment)
stack_top:
file_end:
image_end:
