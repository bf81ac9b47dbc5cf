; tboot's sealing sequence over the FIFO (TIS) interface, in 32-bit flat
; protected mode (tboot common/tpm_20.c: tpm20_init, tpm20_seal,
; tpm20_unseal): TPM2_Startup(CLEAR); TPM2_CreatePrimary under TPM_RH_NULL
; of an RSA-2048 restricted decrypt storage key (AES-128-CFB, userAuth
; 00 FF); TPM2_Create of a sealed KEYEDHASH object under it (userWithAuth |
; noDA, userAuth "test", data = SECRET); TPM2_Load of the returned
; outPrivate / outPublic; TPM2_Unseal with password "test". Each response
; code goes to COM1 as "NAME rc=XXXXXXXX"; the unsealed bytes are copied to
; UNSEALED (their TPM2B size first, as a 16-bit big-endian value), then
; "done". Every command uses a password session (TPM_RS_PW).
; Scenario: scenarios/tpm/tis-seal.json (both engines).
bits 32
org 0x7c00

UNSEALED  equ 0x10000
TIS_RSP_MAX equ 1536

%macro be32 1                       ; a 32-bit big-endian field
  db ((%1) >> 24) & 0xff, ((%1) >> 16) & 0xff, ((%1) >> 8) & 0xff, (%1) & 0xff
%endmacro

start:
  mov esp, 0x7000
  call tis_request_locality0
  jnc .have_locality
  mov esi, msg_no_locality
  call com1_puts
  jmp finish
.have_locality:
  mov esi, cmd_startup
  mov ecx, cmd_startup_len
  mov edi, msg_startup
  call run
  jnz finish

  mov esi, cmd_primary
  mov ecx, cmd_primary_len
  mov edi, msg_primary
  call run
  jnz finish
  mov eax, [response + 10]          ; the primary's handle (big-endian as sent)
  mov [cmd_create + 10], eax
  mov [load_parent], eax

  mov esi, cmd_create
  mov ecx, cmd_create_len
  mov edi, msg_create
  call run
  jnz finish

  ; Load: outPrivate and outPublic follow the 4-byte parameterSize.
  mov esi, response + 14
  mov edi, load_blobs
  call copy_tpm2b                   ; outPrivate
  call copy_tpm2b                   ; outPublic
  mov ecx, edi
  sub ecx, cmd_load
  mov eax, ecx
  bswap eax
  mov [cmd_load + 2], eax           ; commandSize
  mov esi, cmd_load
  mov edi, msg_load
  call run
  jnz finish
  mov eax, [response + 10]          ; the sealed object's handle
  mov [cmd_unseal + 10], eax

  mov esi, cmd_unseal
  mov ecx, cmd_unseal_len
  mov edi, msg_unseal
  call run
  jnz finish
  movzx ecx, word [response + 14]   ; TPM2B_SENSITIVE_DATA after parameterSize
  xchg cl, ch
  add ecx, 2
  mov esi, response + 14
  mov edi, UNSEALED
  rep movsb
finish:
  mov esi, msg_done
  call com1_puts
  cli
  hlt
  jmp finish

; run: esi = command, ecx = length, edi = name. Sends it, prints
; "name rc=...", ZF set when the response code is 0.
run:
  push edi
  call tis_command
  pop esi
  call com1_puts
  call com1_hex32
  test eax, eax
  ret

; copy_tpm2b: esi -> TPM2B (big-endian size); copies size + bytes to edi,
; advancing both.
copy_tpm2b:
  movzx ecx, word [esi]
  xchg cl, ch
  add ecx, 2
  rep movsb
  ret

%include "tis_fifo.inc"
%include "com1.inc"
%include "com1_hex32.inc"

msg_no_locality: db "locality 0 not granted", 10, 0
msg_startup:     db "startup rc=", 0
msg_primary:     db "createprimary rc=", 0
msg_create:      db "create rc=", 0
msg_load:        db "load rc=", 0
msg_unseal:      db "unseal rc=", 0
msg_done:        db "done", 10, 0

; TPM2_Startup(TPM_SU_CLEAR)
cmd_startup:
  db 0x80, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x01, 0x44, 0x00, 0x00
cmd_startup_len equ $ - cmd_startup

; TPM2_CreatePrimary(TPM_RH_NULL), tboot's template
cmd_primary:
  db 0x80, 0x02                     ; TPM_ST_SESSIONS
  be32 cmd_primary_len              ; commandSize
  db 0x00, 0x00, 0x01, 0x31         ; TPM_CC_CreatePrimary
  db 0x40, 0x00, 0x00, 0x07         ; primaryHandle TPM_RH_NULL
  db 0x00, 0x00, 0x00, 0x09         ; authorizationSize
  db 0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00  ; TPM_RS_PW, no nonce, attrs 0, empty auth
  db 0x00, 0x06, 0x00, 0x02, 0x00, 0xff, 0x00, 0x00  ; inSensitive: userAuth 00 FF, no data
  db 0x00, 0x1a                     ; inPublic size 26
  db 0x00, 0x01, 0x00, 0x0b         ; TPM_ALG_RSA, nameAlg SHA-256
  db 0x00, 0x03, 0x04, 0x72         ; fixedTPM fixedParent sensitiveDataOrigin userWithAuth noDA restricted decrypt
  db 0x00, 0x00                     ; authPolicy empty
  db 0x00, 0x06, 0x00, 0x80, 0x00, 0x43  ; symmetric AES-128-CFB
  db 0x00, 0x10                     ; scheme TPM_ALG_NULL
  db 0x08, 0x00                     ; keyBits 2048
  db 0x00, 0x00, 0x00, 0x00         ; exponent 0 (65537)
  db 0x00, 0x00                     ; unique empty
  db 0x00, 0x00                     ; outsideInfo empty
  db 0x00, 0x00, 0x00, 0x00         ; creationPCR: no selections
cmd_primary_len equ $ - cmd_primary

; TPM2_Create(parent) of tboot's sealed-data object
cmd_create:
  db 0x80, 0x02
  be32 cmd_create_len
  db 0x00, 0x00, 0x01, 0x53         ; TPM_CC_Create
  dd 0                              ; parentHandle, from CreatePrimary
  db 0x00, 0x00, 0x00, 0x0b
  db 0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0xff  ; TPM_RS_PW, auth 00 FF
  db 0x00, 0x18                     ; inSensitive size 24
  db 0x00, 0x04, "test"             ; userAuth
  db 0x00, 0x10                     ; data: the secret
SECRET: db "sealed by dlsim!"
  db 0x00, 0x0e                     ; inPublic size 14
  db 0x00, 0x08, 0x00, 0x0b         ; TPM_ALG_KEYEDHASH, nameAlg SHA-256
  db 0x00, 0x00, 0x04, 0x40         ; userWithAuth noDA
  db 0x00, 0x00                     ; authPolicy empty
  db 0x00, 0x10                     ; scheme TPM_ALG_NULL
  db 0x00, 0x00                     ; unique empty
  db 0x00, 0x00                     ; outsideInfo empty
  db 0x00, 0x00, 0x00, 0x00         ; creationPCR: no selections
cmd_create_len equ $ - cmd_create

; TPM2_Unseal(object) with password "test"
cmd_unseal:
  db 0x80, 0x02
  be32 cmd_unseal_len
  db 0x00, 0x00, 0x01, 0x5e         ; TPM_CC_Unseal
  dd 0                              ; itemHandle, from Load
  db 0x00, 0x00, 0x00, 0x0d
  db 0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x04, "test"
cmd_unseal_len equ $ - cmd_unseal

; TPM2_Load(parent, outPrivate, outPublic): the blobs are appended at run time
cmd_load:
  db 0x80, 0x02
  dd 0                              ; commandSize, set at run time
  db 0x00, 0x00, 0x01, 0x57         ; TPM_CC_Load
load_parent: dd 0
  db 0x00, 0x00, 0x00, 0x0b
  db 0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0xff
load_blobs:
  times 1024 db 0

response: times TIS_RSP_MAX db 0
