; TXT configuration registers as pre-launch and MLE code touch them
; (scenarios/txt/). Two entry points, 32-bit protected mode, flat:
;
; 0x100000 power_on: the platform as the BIOS left it. Reads DIDVID and
;   HEAP.BASE through public space and DIDVID through (closed) private
;   space, tries what software cannot do there (CMD.OPEN-PRIVATE, CMD.RESET
;   and ERRORCODE through public space), reads private DIDVID and STS again,
;   and halts.
; 0x100100 mle_reset: the platform as SINIT hands it to the MLE. Proves
;   private space open by its DIDVID (as Linux does), then fails the launch
;   the way tboot's txt_reset and Linux's sl_txt_reset do: ERRORCODE,
;   CMD.NO-SECRETS, CMD.UNLOCK-MEM-CONFIG, a fence read of E2STS, CMD.RESET.
;   The TXT reset ends the run.
;
; Results at 0x9000: +0 public DIDVID[31:0], +4 public DIDVID[63:32],
; +8 public HEAP.BASE, +0xC private DIDVID[31:0] before, +0x10 after the
; public-space attempts, +0x14 STS after them.
bits 32
org 0x100000

PUB   equ 0xFED30000
PRIV  equ 0xFED20000
STS        equ 0x000
ERRORCODE  equ 0x030
CMD_RESET  equ 0x038
CMD_OPEN_PRIVATE equ 0x040
DIDVID     equ 0x110
CMD_UNLOCK_MEM_CONFIG equ 0x218
HEAP_BASE  equ 0x300
CMD_NO_SECRETS equ 0x8E8
E2STS      equ 0x8F0
RES        equ 0x9000

power_on:
  mov eax, [PUB + DIDVID]
  mov [RES + 0x0], eax
  mov eax, [PUB + DIDVID + 4]
  mov [RES + 0x4], eax
  mov eax, [PUB + HEAP_BASE]
  mov [RES + 0x8], eax
  mov eax, [PRIV + DIDVID]
  mov [RES + 0xC], eax
  ; None of these act through public space.
  mov byte [PUB + CMD_OPEN_PRIVATE], 1
  mov dword [PUB + ERRORCODE], 0xC0008001
  mov byte [PUB + CMD_RESET], 1
  mov eax, [PRIV + DIDVID]
  mov [RES + 0x10], eax
  mov eax, [PUB + STS]
  mov [RES + 0x14], eax
  hlt
  jmp power_on

  times 0x100 - ($ - $$) db 0

mle_reset:
  mov eax, [PRIV + DIDVID]
  mov [RES + 0xC], eax
  cmp ax, 0x8086
  jne .hang                      ; private space not open: nothing to reset through
  mov dword [PRIV + ERRORCODE], 0xC0008001
  mov dword [PRIV + CMD_NO_SECRETS], 1
  mov dword [PRIV + CMD_UNLOCK_MEM_CONFIG], 1
  mov eax, [PRIV + E2STS]        ; fence
  mov dword [PRIV + CMD_RESET], 1
.hang:
  hlt
  jmp .hang
