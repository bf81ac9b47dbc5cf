; Pre-launch code protecting itself from DMA with a VT-d unit's protected
; low-memory region (scenarios/txt/vtd-pmr-dma-attack.json; unit at VTD).
; Flat protected mode at 0x8000:
;   CAP must offer PLMR and PHMR (bits 5, 6);
;   PLMBASE written with all ones, read back to find its alignment
;     (VT-d spec PLMBASE_REG; 0xffe00000 = 2 MiB), kept at 0x9200;
;   PLMR = [0, 16 MiB): PLMBASE 0, PLMLIMIT 0x00e00000 (the limit's low bits
;     read as ones); PHMBASE 0x200000 above PHMLIMIT 0: high region off;
;   PMEN.EPM set, then PRS polled; the polls that saw it clear go to 0x9204.
; At PMR_ON (0x8080) the scenario's bus masters strike; the guest then spins
; until the mailbox at 16 MiB + 8 MiB (outside the PLMR) holds "DMA!", prints
; and halts.
VTD      equ 0xfed90000
MAILBOX  equ 0x1800000

bits 32
org 0x8000
start:
  mov ebx, VTD
  mov eax, [ebx + 0x08]               ; CAP_REG, low dword
  and eax, 0x60
  cmp eax, 0x60
  jne no_pmr
  mov dword [ebx + 0x68], 0xffffffff  ; PLMBASE: find the alignment
  mov eax, [ebx + 0x68]
  mov [0x9200], eax
  mov dword [ebx + 0x68], 0           ; PLMBASE
  mov dword [ebx + 0x6c], 0x00e00000  ; PLMLIMIT
  mov dword [ebx + 0x70], 0x00200000  ; PHMBASE (low dword)
  mov dword [ebx + 0x74], 0           ; PHMBASE (high dword)
  mov dword [ebx + 0x78], 0           ; PHMLIMIT
  mov dword [ebx + 0x7c], 0
  mov dword [ebx + 0x64], 0x80000000  ; PMEN.EPM
  xor ecx, ecx
poll:
  test dword [ebx + 0x64], 1          ; PMEN.PRS
  jnz pmr_on
  inc ecx
  jmp poll
  times 0x80 - ($ - $$) db 0xcc
pmr_on:                               ; 0x8080
  mov [0x9204], ecx
spin:
  cmp dword [MAILBOX], 0x21414d44
  jne spin
  mov esi, ok
print:
  mov dx, 0x3f8
.next:
  lodsb
  test al, al
  jz .done
  out dx, al
  jmp .next
.done:
  hlt
  jmp .done
no_pmr:
  mov esi, fail
  jmp print
ok:   db "PMRs on; mailbox: DMA!", 10, 0
fail: db "no PMRs", 10, 0
