; 10,000 faults in a row, each handled and resumed.
; Flat protected mode (the platform's CS = 0x10, DS = 0x18), entered at
; 0x100000. The guest installs an IDT with two 32-bit interrupt gates:
;   #UD (6):  ud_handler  counts the fault and returns past the 2-byte UD2
;   #GP (13): gp_handler  counts, keeps the error code in ESI and returns
;                         past the 2-byte RDMSR
; EBX at entry picks the storm: 0 = RDMSR of MSR 0x12345678, which no CPU
; implements (#GP(0), raised by dlsim's MSR model); 1 = UD2 (#UD, raised by
; the CPU engine). Either way it runs 10,000 rounds, prints the count in
; decimal, and halts with EDI = count.
; Scenarios: scenarios/core/fault-storm.json (EBX = 0) and
; scenarios/core/fault-storm-ud.json (EBX = 1).
;
; Retired instructions, counted by hand (a faulting instruction does not
; retire; puts of n characters is 5n + 5):
;   setup (mov esp .. mov ebp)                         16
;   test, jnz                                           2
;   RDMSR round: mov ecx; gp_handler inc, pop, add,
;                iretd; dec, jnz                        7   (+1 jmp after the loop)
;   UD2 round:   ud_handler inc, add, iretd; dec, jnz   5
;   report: 4 + 5 digits * 7 + 3 + puts("faults: ") 45
;           + 2 + puts("10000") 30 + 2 + puts(CR LF) 15 + hlt 1 = 137
;   RDMSR total: 16 + 2 + 70,000 + 1 + 137 = 70,156
;   UD2 total:   16 + 2 + 50,000 + 137     = 50,155
bits 32
org 0x100000

COM1       equ 0x3f8
BAD_MSR    equ 0x12345678
ROUNDS     equ 10000

start:
  mov esp, 0x90000
  mov eax, gp_handler
  mov [idt + 13*8], ax
  mov word [idt + 13*8 + 2], 0x10     ; selector: the boot code segment
  mov word [idt + 13*8 + 4], 0x8e00   ; present, DPL 0, 32-bit interrupt gate
  shr eax, 16
  mov [idt + 13*8 + 6], ax
  mov eax, ud_handler
  mov [idt + 6*8], ax
  mov word [idt + 6*8 + 2], 0x10
  mov word [idt + 6*8 + 4], 0x8e00
  shr eax, 16
  mov [idt + 6*8 + 6], ax
  lidt [idtr]
  mov esi, 0xffffffff                 ; gp_handler overwrites it with the error code
  mov ebp, ROUNDS
  test ebx, ebx
  jnz .ud_storm
.gp_storm:
  mov ecx, BAD_MSR
  rdmsr                               ; #GP(0): gp_handler resumes at the dec
  dec ebp
  jnz .gp_storm
  jmp .report
.ud_storm:
  ud2                                 ; #UD: ud_handler resumes at the dec
  dec ebp
  jnz .ud_storm

.report:                              ; prints "faults: <decimal>"
  mov edi, [fault_count]
  mov eax, edi
  mov ebx, 10
  mov ecx, digits_end
.digit:                               ; digits are built backwards
  xor edx, edx
  div ebx
  add dl, '0'
  dec ecx
  mov [ecx], dl
  test eax, eax
  jnz .digit
  push ecx
  mov esi, msg
  call puts
  pop esi
  call puts
  mov esi, crlf
  call puts
  hlt

gp_handler:
  inc dword [fault_count]
  pop esi                             ; error code
  add dword [esp], 2                  ; skip RDMSR (0f 32)
  iretd

ud_handler:
  inc dword [fault_count]
  add dword [esp], 2                  ; skip UD2 (0f 0b)
  iretd

puts:                                 ; esi = NUL-terminated string
  mov dx, COM1
.next:
  lodsb
  test al, al
  jz .end
  out dx, al
  jmp .next
.end:
  ret

msg:   db "faults: ", 0
crlf:  db 13, 10, 0
digits: times 10 db 0
digits_end: db 0

times 0x200 - ($ - $$) db 0
fault_count: dd 0                     ; = 0x100200
align 8
idt:
  times 32 dq 0
idt_end:
idtr:
  dw idt_end - idt - 1
  dd idt
