; A TPM driver for the CRB interface, the way Linux's tpm_crb drives it, in
; 32-bit protected mode: request locality 0 (LOC_CTRL.requestAccess, wait for
; LOC_STS.Granted), then for each command: CTRL_REQ.cmdReady and wait for it
; to clear, copy the command to the buffer CMD_LADDR names, CTRL_START = 1,
; wait for START to clear, read the response at RSP_ADDR, CTRL_REQ.goIdle.
; Commands: TPM2_Startup(CLEAR) and TPM2_PCR_Extend of PCR 16; each response
; code goes to COM1 as "NAME rc=XXXXXXXX". Bytes from
; scenarios/tpm/expected_values.py.
bits 32
org 0x7c00

TPM        equ 0xFED40000
LOC_CTRL   equ TPM + 0x08
LOC_STS    equ TPM + 0x0c
CTRL_REQ   equ TPM + 0x40
CTRL_START equ TPM + 0x4c
CMD_LADDR  equ TPM + 0x5c
RSP_ADDR   equ TPM + 0x68
POLL_MAX   equ 100000

start:
  mov esp, 0x7000
  mov dword [LOC_CTRL], 1           ; requestAccess
  mov edx, POLL_MAX
.wait_granted:
  test dword [LOC_STS], 1
  jnz .granted
  dec edx
  jnz .wait_granted
  mov esi, msg_no_locality
  call com1_puts
  jmp finish
.granted:
  mov esi, cmd_startup
  mov ecx, cmd_startup_len
  call crb_command
  mov esi, msg_startup
  call com1_puts
  call com1_hex32

  mov esi, cmd_extend16
  mov ecx, cmd_extend16_len
  call crb_command
  mov esi, msg_extend16
  call com1_puts
  call com1_hex32
finish:
  mov esi, msg_done
  call com1_puts
  cli
  hlt
  jmp finish

; crb_command: esi = command, ecx = length. Returns eax = response code
; (0xffffffff when the TPM did not become ready or never finished).
crb_command:
  push edi
  mov dword [CTRL_REQ], 1           ; cmdReady
  mov edx, POLL_MAX
.wait_ready:
  test dword [CTRL_REQ], 1
  jz .ready
  dec edx
  jnz .wait_ready
  jmp .timeout
.ready:
  mov edi, [CMD_LADDR]
  rep movsb
  mov dword [CTRL_START], 1
  mov edx, POLL_MAX
.wait_done:
  test dword [CTRL_START], 1
  jz .done
  dec edx
  jnz .wait_done
  jmp .timeout
.done:
  mov edi, [RSP_ADDR]
  mov eax, [edi + 6]
  bswap eax
  mov dword [CTRL_REQ], 2           ; goIdle
  pop edi
  ret
.timeout:
  mov eax, 0xffffffff
  pop edi
  ret

%include "com1.inc"
%include "com1_hex32.inc"

msg_no_locality: db "locality 0 not granted", 10, 0
msg_startup:     db "startup rc=", 0
msg_extend16:    db "extend16 rc=", 0
msg_done:        db "done", 10, 0

%include "tpm_startup_extend16.inc"
