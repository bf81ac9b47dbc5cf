; Common entry for the benchmark guests: a Multiboot1 header so QEMU (-kernel)
; and dlsim's multiboot loader can boot the ELF, a stack, a call to the
; workload's bench_main, then the result block (guest_abi.h), the result as
; hex text on port 0xE9 and COM1, and the exit: isa-debug-exit (QEMU) and
; cli; hlt (Unicorn ends uc_emu_start at HLT).
;
; bench_main is cdecl: uint32_t bench_main(uint8_t *out); it writes its result
; bytes to out and returns how many it wrote (at most BENCH_RESULT_MAX).
;
; Entry state assumed: 32-bit flat protected mode, paging off (Multiboot1).
; No segment register is reloaded, so the loader's flat segments stay.
bits 32
%include "guest_abi.inc"

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00000000          ; ELF image: no a.out kludge, no requests
STACK_BYTES equ 16384
COM1 equ 0x3F8
DEBUGCON equ 0xE9
DEBUG_EXIT equ 0xF4

section .multiboot progbits alloc noexec nowrite align=4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .text
global _start
extern bench_main

_start:
    cli
    cld
    mov esp, stack_top
    xor ebp, ebp
    push dword BENCH_RESULT_BLOCK_ADDR + BENCH_RESULT_DATA_OFFSET
    call bench_main
    add esp, 4

    mov edi, BENCH_RESULT_BLOCK_ADDR
    mov [edi + 4], eax                       ; length
    mov dword [edi], BENCH_RESULT_MAGIC      ; written last: block complete

    mov esi, BENCH_RESULT_BLOCK_ADDR + BENCH_RESULT_DATA_OFFSET
    mov ecx, eax
.next_byte:
    test ecx, ecx
    jz .text_done
    movzx ebx, byte [esi]
    mov edx, ebx
    shr edx, 4
    mov al, [hex_digits + edx]
    call put_char
    and ebx, 0x0F
    mov al, [hex_digits + ebx]
    call put_char
    inc esi
    dec ecx
    jmp .next_byte
.text_done:
    mov al, 10
    call put_char

    ; QEMU's isa-debug-exit ends QEMU with status (value << 1) | 1 = 1.
    xor eax, eax
    out DEBUG_EXIT, al
.halt:
    cli
    hlt
    jmp .halt

; put_char: AL to the debug console port and to COM1's transmit register.
; COM1 is written without polling the line status: QEMU's UART accepts
; back-to-back bytes, and a bare engine without port hooks reads 0 from LSR.
put_char:
    out DEBUGCON, al
    push edx
    mov dx, COM1
    out dx, al
    pop edx
    ret

section .rodata
hex_digits: db "0123456789abcdef"

section .bss
align 16
stack_bottom:
    resb STACK_BYTES
stack_top:
