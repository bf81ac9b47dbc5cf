; Benchmark guest: an integer loop with loads, stores and read-modify-writes
; over a 16 KiB table, 32 instructions per iteration (about the length of a
; real basic block, so per-block costs weigh as they do in real code).
; LOOP_ITERATIONS comes from the build (-D). The result (16 bytes: EAX, EBX,
; the iteration counter kept in memory, and the XOR of the table) is checked
; by the host against its own model of this loop (bench/loop_model.cpp) —
; change both together.
bits 32

%ifndef LOOP_ITERATIONS
%error "build with -DLOOP_ITERATIONS=<n>"
%endif

TABLE_WORDS equ 4096
INDEX_MASK equ TABLE_WORDS - 1

section .text
global bench_main

; uint32_t bench_main(uint8_t *out)
bench_main:
    push ebx
    push esi
    push edi
    push ebp

    ; table[i] = i * 0x9E3779B9
    mov edi, table
    xor ecx, ecx
.fill:
    mov eax, ecx
    imul eax, eax, 0x9E3779B9
    mov [edi + ecx*4], eax
    inc ecx
    cmp ecx, TABLE_WORDS
    jne .fill

    mov eax, 0x6A09E667
    mov ebx, 0xBB67AE85
    mov esi, LOOP_ITERATIONS
    mov dword [counter], 0

    ; 32 instructions per iteration; esi counts down from LOOP_ITERATIONS to 1.
.iteration:
    mov ebp, esi                          ;  1
    and ebp, INDEX_MASK                   ;  2
    mov ecx, [edi + ebp*4]                ;  3 load
    add eax, ecx                          ;  4
    rol eax, 7                            ;  5
    xor ebx, eax                          ;  6
    lea edx, [ebx + ecx*2 + 0x1234]       ;  7
    mov [edi + ebp*4], edx                ;  8 store
    mov ebp, eax                          ;  9
    and ebp, INDEX_MASK                   ; 10
    mov ecx, [edi + ebp*4]                ; 11 load
    imul ecx, ecx, 0x01000193             ; 12
    xor ecx, esi                          ; 13
    sub ebx, ecx                          ; 14
    ror ebx, 3                            ; 15
    mov [edi + ebp*4], ebx                ; 16 store
    mov edx, ebx                          ; 17
    shr edx, 11                           ; 18
    xor eax, edx                          ; 19
    mov ebp, ebx                          ; 20
    and ebp, INDEX_MASK                   ; 21
    add [edi + ebp*4], eax                ; 22 load + store
    mov ecx, [edi + ebp*4]                ; 23 load
    shl ecx, 2                            ; 24
    or ecx, 1                             ; 25
    add eax, ecx                          ; 26
    mov edx, eax                          ; 27
    and edx, 0x00FF00FF                   ; 28
    xor ebx, edx                          ; 29
    inc dword [counter]                   ; 30 load + store
    dec esi                               ; 31
    jnz .iteration                        ; 32

    ; fold the table
    xor edx, edx
    xor ecx, ecx
.fold:
    xor edx, [edi + ecx*4]
    inc ecx
    cmp ecx, TABLE_WORDS
    jne .fold

    mov ebp, [esp + 20]                   ; out
    mov [ebp], eax
    mov [ebp + 4], ebx
    mov ecx, [counter]
    mov [ebp + 8], ecx
    mov [ebp + 12], edx
    mov eax, 16

    pop ebp
    pop edi
    pop esi
    pop ebx
    ret

section .bss
align 4096
table:
    resd TABLE_WORDS
counter:
    resd 1
