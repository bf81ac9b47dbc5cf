; Benchmark guest for dlsim-tpm-bench: TPM2_Startup(CLEAR), then EBX times
; TPM2_PCR_Extend(PCR 23, SHA-256 digest below) through the FIFO (TIS)
; interface the way Linux tpm_tis does it: request locality 0, then per
; command commandReady, DATA_FIFO bytes within burstCount with Expect checked
; after each burst and after the last byte, tpmGo, poll STS for stsValid +
; dataAvail, read the 10-byte header then the rest (burstCount bounded),
; check dataAvail cleared, commandReady again. 32-bit protected mode, flat.
; Results at RESULT (read by the bench): +0 status (0 ok, 1 no locality,
; 2 timeout, 3 protocol error, 4 bad response code), +4 extends completed,
; +8 last response code. Then it halts.
bits 32
org 0x7c00

TPM       equ 0xFED40000
ACCESS    equ TPM + 0x00
STS       equ TPM + 0x18
FIFO      equ TPM + 0x24
RESULT    equ 0x6000
POLL_MAX  equ 100000
RSP_MAX   equ 64

start:
  mov esp, 0x7000
  mov dword [RESULT], 0
  mov dword [RESULT + 4], 0
  mov dword [RESULT + 8], 0
  mov [count], ebx
  mov byte [ACCESS], 0x02           ; requestUse
  mov edx, POLL_MAX
.wait_locality:
  mov al, [ACCESS]
  and al, 0xa0                      ; tpmRegValidSts | activeLocality
  cmp al, 0xa0
  je .have_locality
  dec edx
  jnz .wait_locality
  mov eax, 1
  jmp finish
.have_locality:
  mov esi, cmd_startup
  mov ecx, cmd_startup_len
  call tis_command
  test eax, eax
  jnz finish
.extend:
  mov eax, [RESULT + 4]
  cmp eax, [count]
  jae .all_done
  mov esi, cmd_extend
  mov ecx, cmd_extend_len
  call tis_command
  test eax, eax
  jnz finish
  inc dword [RESULT + 4]
  jmp .extend
.all_done:
  xor eax, eax
finish:
  mov [RESULT], eax
.halt:
  cli
  hlt
  jmp .halt

; poll_sts_valid: waits for STS.stsValid; returns the STS byte in al, CF set
; on timeout.
poll_sts_valid:
  push edx
  mov edx, POLL_MAX
.again:
  mov al, [STS]
  test al, 0x80
  jnz .ok
  dec edx
  jnz .again
  pop edx
  stc
  ret
.ok:
  pop edx
  clc
  ret

; burst: waits for a non-zero STS.burstCount; returns it in ebx (CF on timeout).
burst:
  push edx
  mov edx, POLL_MAX
.again:
  movzx ebx, word [STS + 1]
  test ebx, ebx
  jnz .ok
  dec edx
  jnz .again
  pop edx
  stc
  ret
.ok:
  pop edx
  clc
  ret

; tis_command: esi = command, ecx = length (>= 2). Returns eax = 0 when the
; response code was 0, else the status (2, 3, 4) with the code in RESULT+8.
tis_command:
  push edi
  push ebx
  mov byte [STS], 0x40              ; commandReady
  mov edx, POLL_MAX
.wait_ready:
  test byte [STS], 0x40
  jnz .ready
  dec edx
  jnz .wait_ready
  jmp .timeout
.ready:
  dec ecx                           ; all but the last byte in bursts
.send_burst:
  call burst
  jc .timeout
.send_byte:
  lodsb
  mov [FIFO], al
  dec ecx
  jz .send_last
  dec ebx
  jnz .send_byte
  call poll_sts_valid
  jc .timeout
  test al, 0x08                     ; Expect must still be set
  jz .protocol
  jmp .send_burst
.send_last:
  call poll_sts_valid
  jc .timeout
  test al, 0x08
  jz .protocol
  lodsb
  mov [FIFO], al
  call poll_sts_valid
  jc .timeout
  test al, 0x08                     ; the TPM has the whole command
  jnz .protocol
  mov byte [STS], 0x20              ; tpmGo
  mov edx, POLL_MAX
.wait_data:
  mov al, [STS]
  and al, 0x90                      ; stsValid | dataAvail
  cmp al, 0x90
  je .receive
  dec edx
  jnz .wait_data
  jmp .timeout
.receive:
  mov edi, response
  mov ecx, 10
  call read_fifo
  jc .timeout
  mov ecx, [response + 2]
  bswap ecx
  cmp ecx, 10
  jb .protocol
  cmp ecx, RSP_MAX
  ja .protocol
  sub ecx, 10
  jz .received
  call read_fifo
  jc .timeout
.received:
  call poll_sts_valid
  jc .timeout
  test al, 0x10                     ; dataAvail must be clear now
  jnz .protocol
  mov byte [STS], 0x40              ; commandReady: back to Ready
  mov eax, [response + 6]
  bswap eax
  mov [RESULT + 8], eax
  test eax, eax
  jz .out
  mov eax, 4
  jmp .out
.timeout:
  mov eax, 2
  jmp .out
.protocol:
  mov eax, 3
.out:
  pop ebx
  pop edi
  ret

; read_fifo: ecx bytes from DATA_FIFO to [edi], burstCount at a time (CF on timeout).
read_fifo:
  call burst
  jc .fail
.byte:
  mov al, [FIFO]
  stosb
  dec ecx
  jz .done
  dec ebx
  jnz .byte
  jmp read_fifo
.done:
  clc
.fail:
  ret

count:    dd 0
response: times RSP_MAX db 0

; TPM2_Startup(TPM_SU_CLEAR)
cmd_startup:
  db 0x80, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x01, 0x44, 0x00, 0x00
cmd_startup_len equ $ - cmd_startup

; TPM2_PCR_Extend: tag SESSIONS, size 65, PCR 23, authorization area of 9
; bytes (TPM_RS_PW, empty nonce, attributes 0, empty password), one
; TPMT_HA: SHA-256 (0x000B) and the digest bytes 0x40 0x41 ... 0x5F.
cmd_extend:
  db 0x80, 0x02, 0x00, 0x00, 0x00, 0x41, 0x00, 0x00, 0x01, 0x82
  db 0x00, 0x00, 0x00, 0x17
  db 0x00, 0x00, 0x00, 0x09, 0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00
  db 0x00, 0x00, 0x00, 0x01, 0x00, 0x0b
%assign i 0x40
%rep 32
  db i
%assign i i + 1
%endrep
cmd_extend_len equ $ - cmd_extend
