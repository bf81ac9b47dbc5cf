; Benchmark guest: RDTSC_ITERATIONS executions of RDTSC in a short loop, for
; the cost of an instruction dlsim must intercept (RDTSC has to return
; virtual time, not the host's counter). The TSC values are discarded, so the
; result (the iteration counter kept in memory, 4 bytes little-endian) is the
; same on every engine: it equals RDTSC_ITERATIONS.
bits 32

%ifndef RDTSC_ITERATIONS
%error "build with -DRDTSC_ITERATIONS=<n>"
%endif

section .text
global bench_main

; uint32_t bench_main(uint8_t *out)
bench_main:
    push ebx
    mov dword [counter], 0
    mov ecx, RDTSC_ITERATIONS
.iteration:
    rdtsc                                 ; clobbers EDX:EAX only
    mov ebx, eax
    inc dword [counter]
    dec ecx
    jnz .iteration

    mov ebx, [esp + 8]                    ; out
    mov eax, [counter]
    mov [ebx], eax
    mov eax, 4
    pop ebx
    ret

section .bss
align 4
counter:
    resd 1
