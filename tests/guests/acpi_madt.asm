; Finds the ACPI tables the way an OS does (ACPI 6.5 5.2.5.1): the RSDP in
; the EBDA's first KiB, then 0xE0000-0xFFFFF on 16-byte boundaries (signature
; "RSD PTR " and a zero checksum over its first 20 bytes); then the XSDT
; (checksums checked), the MADT in it, and every enabled Processor Local APIC
; structure. Writes the RSDP address at 0x9000, the MADT's local APIC
; address at 0x9004, the CPU count at 0x9008, the APIC IDs from 0x9010, and
; prints them on COM1. Any failure: "ACPI FAIL <step>" and EAX = 0xbad.
; Protected mode, flat segments (entry mode "protected").
bits 32
org 0x8000
start:
  mov esp, 0x7000
  movzx esi, word [0x40e]        ; EBDA segment (BIOS data area)
  shl esi, 4
  test esi, esi
  jz .bios
  mov ecx, 1024 / 16
  call scan
  jnc found
.bios:
  mov esi, 0xe0000
  mov ecx, 0x20000 / 16
  call scan
  jnc found
  mov esi, msg_rsdp
  jmp fail

found:
  mov [0x9000], esi
  mov esi, msg_rsdp_at
  call com1_puts
  mov eax, [0x9000]
  call com1_hex32
  mov esi, [0x9000]
  cmp byte [esi + 15], 2         ; revision 2+: XSDT and extended checksum
  jb .old
  mov ecx, [esi + 20]            ; length
  call sum
  test al, al
  jnz .old
  cmp dword [esi + 28], 0        ; XSDT below 4 GiB
  jne .old
  mov ebx, [esi + 24]
  cmp dword [ebx], 'XSDT'
  jne .old
  mov esi, ebx
  mov ecx, [ebx + 4]
  call sum
  test al, al
  jnz .old
  lea edi, [ebx + 36]            ; 8-byte entries
  mov edx, ebx
  add edx, [ebx + 4]
.entry:
  cmp edi, edx
  jae .nomadt
  mov eax, [edi]
  cmp dword [eax], 'APIC'
  je madt
  add edi, 8
  jmp .entry
.old:
  mov esi, msg_xsdt
  jmp fail
.nomadt:
  mov esi, msg_madt
  jmp fail

madt:
  mov ebx, eax
  mov esi, ebx
  mov ecx, [ebx + 4]
  call sum
  test al, al
  jnz .bad
  mov eax, [ebx + 36]            ; local interrupt controller address
  mov [0x9004], eax
  lea esi, [ebx + 44]            ; interrupt controller structures
  mov edx, ebx
  add edx, [ebx + 4]
  xor ecx, ecx
.sub:
  cmp esi, edx
  jae .done
  movzx eax, byte [esi + 1]      ; length
  cmp eax, 2
  jb .bad
  cmp byte [esi], 0              ; Processor Local APIC
  jne .next
  test byte [esi + 4], 1         ; enabled
  jz .next
  mov al, [esi + 3]              ; APIC ID
  mov [0x9010 + ecx], al
  inc ecx
  movzx eax, byte [esi + 1]
.next:
  add esi, eax
  jmp .sub
.bad:
  mov esi, msg_madt
  jmp fail
.done:
  mov [0x9008], ecx
  mov esi, msg_cpus
  call com1_puts
  mov eax, ecx
  call com1_hex32
  mov esi, msg_lapic
  call com1_puts
  mov eax, [0x9004]
  call com1_hex32
  mov eax, 0x600d
  hlt

fail:
  push esi
  mov esi, msg_fail
  call com1_puts
  pop esi
  call com1_puts
  mov eax, 0xbad
  hlt

; scan: ecx 16-byte steps from esi; CF clear and esi = the RSDP when found.
scan:
  cmp dword [esi], 'RSD '
  jne .next
  cmp dword [esi + 4], 'PTR '
  jne .next
  push ecx
  mov ecx, 20
  call sum
  pop ecx
  test al, al
  jz .found
.next:
  add esi, 16
  loop scan
  stc
  ret
.found:
  clc
  ret

; sum: al = byte sum of ecx (> 0) bytes at esi; preserves esi and ecx.
sum:
  push esi
  push ecx
  xor eax, eax
.add:
  add al, [esi]
  inc esi
  loop .add
  pop ecx
  pop esi
  ret

%include "com1.inc"
%include "com1_hex32.inc"

msg_rsdp_at: db "ACPI RSDP at ", 0
msg_cpus: db "ACPI MADT CPUs ", 0
msg_lapic: db "ACPI local APIC ", 0
msg_fail: db "ACPI FAIL ", 0
msg_rsdp: db "RSDP", 10, 0
msg_xsdt: db "XSDT", 10, 0
msg_madt: db "MADT", 10, 0
