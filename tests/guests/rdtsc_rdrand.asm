; Properties of RDRAND and RDTSC that must hold whatever the seed, checked by
; the guest itself (the values depend on machine.seed and are not copied
; into the scenario). Each failed property sets one bit in EDI:
;   bit 0  CPUID.1:ECX[30] (RDRAND) is set
;   bit 1  the first RDRAND returned CF = 1 (a value is ready)
;   bit 2  the second RDRAND returned CF = 1
;   bit 3  the two values differ
;   bit 4  RDTSC after a loop that retires 2,000 instructions is at least
;          2,000 above the RDTSC before it (TSC = retired instructions)
;   bit 5  RDMSR IA32_TSC (0x10) is not below the last RDTSC
; It prints "rdrand/rdtsc: ok" when EDI = 0 and halts.
; Flat protected mode (platform CS = 0x10) at 0x100000.
; Scenario: scenarios/core/rdtsc-rdrand.json.
bits 32
org 0x100000

COM1 equ 0x3f8

start:
  xor edi, edi
  mov eax, 1
  cpuid
  bt ecx, 30
  jc .have_rdrand
  or edi, 1 << 0
.have_rdrand:
  rdrand eax
  jc .r1
  or edi, 1 << 1
.r1:
  rdrand ebx
  jc .r2
  or edi, 1 << 2
.r2:
  cmp eax, ebx
  jne .differ
  or edi, 1 << 3
.differ:
  rdtsc
  mov esi, eax                   ; t1 (low half is enough for a short run)
  mov ecx, 1000
.spin:
  dec ecx                        ; 1,000 rounds * 2 instructions
  jnz .spin
  rdtsc
  mov ebp, eax                   ; t2
  sub eax, esi
  cmp eax, 2000
  jae .advanced
  or edi, 1 << 4
.advanced:
  mov ecx, 0x10                  ; IA32_TSC
  rdmsr
  cmp eax, ebp
  jae .msr_ok
  or edi, 1 << 5
.msr_ok:
  test edi, edi
  jnz .done
  mov esi, msg_ok
  mov dx, COM1
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  hlt

msg_ok: db "rdrand/rdtsc: ok", 13, 10, 0
