; dlsim's reference Intel TXT secure-launch stub (stub/txt/README.md).
;
; One flat image at 0x100000, entered in 32-bit protected mode with flat
; segments and paging off, as tboot's pre-launch code runs:
;   0x100000  pre-launch: a BIOS stand-in (IA32_FEATURE_CONTROL, TPM2_Startup,
;             BiosData when the platform has not written it), then what tboot
;             does before SENTER: SMX on, GETSEC[CAPABILITIES] and
;             [PARAMETERS], the SINIT ACM's capabilities, MLE page tables,
;             OsMleData and OsSinitData, MTRRs for the ACM, VT-d PMRs when the
;             scenario names a unit (EBP), GETSEC[SENTER].
;   0x101000  the MLE page tables (PDPT, PD, PT), built by pre-launch.
;   0x104000  the MLE (MLE_SIZE bytes, linear 0 = its first byte): the MLE
;             header, the ILP's entry (checks its entry state, reads
;             SinitMleData and SINIT's DMAR copy, wakes the RLPs through
;             MLE.JOIN by GETSEC[WAKEUP] or the RLP wake-up address SINIT
;             gave, waits for them to check in, halts), the RLPs' entry, the
;             GDT and the JOIN structure.
; Scenario inputs, as entry registers: ESI = variant (below), EDI = logical
; CPUs (BiosData.NumLogicalProcs when the stub writes BiosData; 0 = 1),
; EBP = the VT-d unit's register base (0: no unit; nothing is probed).
; Variants (0 launches as tboot would; the others each change one thing
; SINIT checks):
;   0 good launch
;   1 OsSinitData version 3 (below what SINIT takes)
;   2 low PMR [2 MiB, 4 MiB): the MLE is outside every PMR
;   3 MLE header with a bad UUID
;   4 MLE page tables that map the first two MLE pages in decreasing order
;   5 RLP wake-up by GETSEC[WAKEUP] asked whatever the SINIT offers (a good
;     launch with a SINIT that offers it, an error with one that does not)
;   6 MLE header entry point beyond the MLE's end
;   7 OsSinitData asks for a capability the SINIT lacks (TCG log format)
; Variants from MLE_VARIANT_FIRST (0x10) each make one mistake a loader can
; make in the MLE, its page tables or the memory types (apply_mle_variant;
; scenarios/txt/rules/sinit.{mle,mtrr}.*.json):
;   0x10 MLE header version 1.0 (a layout older than the SINIT takes)
;   0x11 MLE header 2.1 with the 1.x HeaderLen 0x28
;   0x12 HeaderLen MLE_SIZE + 0x1000: the header runs past the MLE's end
;   0x13 MleEndOffset one page short of MLESize (a header for a smaller image)
;   0x14 the header declares GETSEC wake-up only; OsSinitData asks for MONITOR
;   0x15 command-line window start 0x1000, end left 0
;   0x16 OsSinitData.MLESize's high dword 1 (4 GiB + MLE_SIZE)
;   0x17 MLEPageTableBase a linear address (0xC0000000 + PAGE_TABLES), not RAM
;   0x18 the PT maps one page fewer than MLESize (its last entry not present)
;   0x19 PD[0] maps a 2 MiB page
;   0x1A the PT maps one page more than MLESize
;   0x1B the MLE's last page mapped at TXT.HEAP.BASE
;   0x1C IA32_MTRR_DEF_TYPE default type WB
;   0x1D the last variable MTRR WB over [0, 2 MiB) besides the ACM's ranges
;   0x20.. one loader mistake each (include/loader_mistakes.inc: the list)
; Fixed addresses scenarios use (stop.at, dma at): SENTER_AT, MLE_ENTRY,
; MLE_WAKE (the ILP about to wake the RLPs), RLP_ENTRY. Results: the mailbox at MBOX
; (layout below) and lines on COM1.
%include "txt_defs.inc"

bits 32
org 0x100000

PRELAUNCH      equ 0x100000
SENTER_AT      equ 0x100E00          ; `senter`: its GETSEC is at SENTER_AT + 0x13
PAGE_TABLES    equ 0x101000          ; PDPT, then PD, then PT: below the MLE (§4)
MLE_START      equ 0x104000
%ifndef MLE_SIZE  ; overridable (nasm -D): bench/ builds a 1 MiB MLE
MLE_SIZE       equ 0x2000
%endif
MLE_PAGES      equ MLE_SIZE / 0x1000
MLE_ENTRY      equ MLE_START + 0x40
MLE_WAKE       equ MLE_START + 0x800
RLP_ENTRY      equ MLE_START + 0xA00
%ifndef EVENT_LOG
EVENT_LOG      equ 0x180000          ; inside the low PMR, outside the heap
%endif
EVENT_LOG_SIZE equ 0x8000
%ifndef PMR_LOW_SIZE
PMR_LOW_SIZE   equ 0x200000          ; [0, 2 MiB): the stub, its tables and the log
%endif
%ifndef JOIN_GDT_LIMIT  ; overridable (nasm -D): a bad MLE.JOIN GDT limit (scenarios/txt/rules/)
JOIN_GDT_LIMIT equ mle_gdt_end - mle_gdt - 1
%endif
; -DPCR_MAP_ZERO: OsSinitData asks for no PCR mapping (capabilities bits 4
; and 5 clear), as tboot 1.10's txt.c does on TPM 2.0 (D/A is TPM 2.0's only
; mapping; scenarios/txt/launch-tpm2-caps-zero.json).
; -DMLE_ACM_LEAF=n (scenarios/txt/rules/): after SMCTRL the MLE calls a BIOS
; ACM function (GETSEC[ENTERACCS], ESI = 3) on the module at MLE_ACM, EDI = n:
; tests/guests/bios_acm_getsec.asm then executes GETSEC leaf n in AC mode.
MLE_ACM        equ 0x40000
MLE_ACM_SIZE   equ 0x8000
STACK_TOP      equ 0x8000
MLE_STACK_TOP  equ 0x7000
HEADER_CAPS    equ CAP_WAKE_GETSEC | CAP_WAKE_MONITOR | CAP_ECX_PGTBL | CAP_PCR_MAP_DA | CAP_TCG_EVENT_LOG
NUM_VARIANTS   equ 8
MLE_VARIANT_FIRST equ 0x10           ; apply_mle_variant's variants
MLE_VARIANT_COUNT equ 14

; Mailbox (low RAM, outside the MLE so the measured bytes do not change)
MBOX           equ 0x9000
MB_STAGE       equ MBOX + 0x00   ; 1 pre-launch, 2 SENTER executed, 3 MLE entered, 4 RLPs woken, 5 done
MB_GETSEC_CAPS equ MBOX + 0x04   ; GETSEC[CAPABILITIES] EAX
MB_SINIT_CAPS  equ MBOX + 0x08   ; the ACM information table's capabilities
MB_OS_CAPS     equ MBOX + 0x0C   ; what OsSinitData asked for
MB_ENTRY_BAD   equ MBOX + 0x10   ; entry-state checks that failed (bits, below); 0 = as the guide says
MB_CR0         equ MBOX + 0x14   ; ILP state at MLE entry
MB_CR4         equ MBOX + 0x18
MB_EFLAGS      equ MBOX + 0x1C
MB_EBX         equ MBOX + 0x20
MB_ECX         equ MBOX + 0x24
MB_EDX         equ MBOX + 0x28
MB_SMD_VERSION equ MBOX + 0x2C   ; SinitMleData version
MB_WAKE_ADDR   equ MBOX + 0x30   ; SinitMleData RlpWakeupAddr
MB_STS         equ MBOX + 0x34   ; TXT.STS at MLE entry
MB_RLP_COUNT   equ MBOX + 0x38   ; RLPs that checked in
MB_RLP_IDS     equ MBOX + 0x3C   ; their APIC IDs, one bit each
MB_RLP_BAD     equ MBOX + 0x40   ; RLP entry-state checks that failed (bits, below)
MB_NUM_PROCS   equ MBOX + 0x44   ; BiosData NumLogicalProcs
MB_WAKE_METHOD equ MBOX + 0x48   ; 1 GETSEC[WAKEUP], 2 RLP wake-up address
MB_BIOS_DATA   equ MBOX + 0x4C   ; 1: the stub wrote BiosData; 0: the platform had
MB_ACM_SIZE    equ MBOX + 0x50   ; ECX given to SENTER
MB_EFER        equ MBOX + 0x54
MB_DMAR_SIZE   equ MBOX + 0x58   ; SinitMleData SinitVtdDmarTableSize (0: no DMAR copy)

; MB_ENTRY_BAD bits (MLE entry state, spec §6)
BAD_PE        equ 1 << 0    ; CR0.PE clear
BAD_PG        equ 1 << 1    ; CR0.PG set
BAD_CR4       equ 1 << 2    ; CR4 is not SMXE only
BAD_EFLAGS    equ 1 << 3    ; EFLAGS is not 2
BAD_EBX       equ 1 << 4    ; EBX is not the physical entry point
BAD_ECX       equ 1 << 5    ; ECX is not the MLE page-table base
BAD_EDX       equ 1 << 6    ; EDX (SENTER function controls) not 0
BAD_STS       equ 1 << 7    ; STS.SENTER.DONE clear
BAD_PRIVATE   equ 1 << 8    ; private space does not read DIDVID's vendor
BAD_SMD       equ 1 << 9    ; SinitMleData version below 6
BAD_WAKE_ADDR equ 1 << 10   ; monitor wake-up chosen but no RLP wake-up address
BAD_EFER      equ 1 << 11   ; EFER not 0
; SINIT's copy of the ACPI DMAR in SinitMleData (spec §3; checked when
; SinitVtdDmarTableSize is not 0, i.e. the platform has a DMAR)
BAD_DMAR_RANGE equ 1 << 12  ; the copy (offset from the size field, size) is not inside SinitMleData
BAD_DMAR_SIG  equ 1 << 13   ; the copy does not begin with "DMAR"
BAD_DMAR_LEN  equ 1 << 14   ; shorter than an ACPI header, or its Length field is not SinitVtdDmarTableSize
BAD_DMAR_SUM  equ 1 << 15   ; its bytes do not sum to 0 (ACPI checksum)
; MB_RLP_BAD bits (RLP state from MLE.JOIN, spec §6)
RBAD_CR0      equ 1 << 0    ; CR0 is not PE|NE
RBAD_CR4      equ 1 << 1    ; CR4 is not SMXE only
RBAD_DS       equ 1 << 2    ; DS is not JOIN's selector + 8

; Pre-launch data kept across SENTER (pre-launch area, below the tables)
PL_DATA        equ PRELAUNCH + 0xF00
PL_HEAP        equ PL_DATA + 0x00
PL_HEAP_SIZE   equ PL_DATA + 0x04
PL_SINIT       equ PL_DATA + 0x08
PL_SINIT_SIZE  equ PL_DATA + 0x0C
PL_ACM_SIZE    equ PL_DATA + 0x10
PL_MAX_ACM     equ PL_DATA + 0x14
PL_OS_SINIT    equ PL_DATA + 0x18   ; where OsSinitData's size field sits
PL_VARIANT     equ PL_DATA + 0x1C
PL_VCNT        equ PL_DATA + 0x20
PL_MASK_HIGH   equ PL_DATA + 0x24
PL_VTD         equ PL_DATA + 0x28   ; the VT-d unit's register base (entry EBP; 0: none)

; OsMleData (the loader's own table, §3): the stub's layout
OSMLE_VERSION  equ 0x100           ; neither tboot's 3 nor Linux's 1
OSMLE_BODY     equ 0x28            ; version, variant, def type, MTRR0 base, MTRR0 mask, pad
OSSINIT_FIXED  equ 0x5C            ; OsSinitData v5+ fixed part (§3)

; ---------------------------------------------------------------------------
; Pre-launch
; ---------------------------------------------------------------------------
prelaunch:
  cli
  mov esp, STACK_TOP
  lea eax, [esi - MLE_VARIANT_FIRST]
  cmp eax, MLE_VARIANT_COUNT
  jb .variant_ok
  cmp esi, NUM_VARIANTS
  jb .variant_ok
  cmp esi, MISTAKE_FIRST             ; the loader mistakes (loader_mistakes.inc)
  jb .variant_bad
  cmp esi, MISTAKE_END
  jb .variant_ok
.variant_bad:
  xor esi, esi
.variant_ok:
  mov [PL_VARIANT], esi
  mov [saved_cpus], edi
  mov [PL_VTD], ebp
  mov dword [MB_STAGE], 1
  mov eax, esi
  mov esi, msg_pre
  call com1_puts
  call com1_hex32

  ; --- BIOS stand-in ---
  ; IA32_FEATURE_CONTROL as a TXT BIOS locks it (unless it is locked already).
  mov ecx, MSR_FEATURE_CONTROL
  rdmsr
  test al, 1
  jnz .fc_locked
  mov eax, FEATURE_CONTROL_TXT
  xor edx, edx
  wrmsr
.fc_locked:
  ; TPM2_Startup(CLEAR) at locality 0, then give the locality up as tboot's
  ; prepare_tpm does before SENTER.
  cmp byte [TIS_ACCESS0], 0xff
  je .no_tpm
  call tis_request_locality0
  jc .no_tpm
  mov esi, cmd_startup
  mov ecx, cmd_startup_len
  call tis_command
  mov byte [TIS_ACCESS0], TPM_ACCESS_ACTIVE   ; relinquish locality 0
.no_tpm:

  ; --- SMX ---
  mov eax, 1
  cpuid
  bt ecx, 6                          ; CPUID.1:ECX.SMX
  jnc fail_no_smx
  mov eax, cr0
  or eax, CR0_NE
  and eax, ~(CR0_CD | CR0_NW)
  mov cr0, eax
  mov eax, cr4
  or eax, CR4_SMXE
  mov cr4, eax
  mov eax, GETSEC_CAPABILITIES
  xor ebx, ebx
  GETSEC
  mov [MB_GETSEC_CAPS], eax
  test al, 1                         ; chipset present
  jz fail_no_chipset
  ; PARAMETERS until type 0; type 2 gives the largest ACM.
  mov dword [PL_MAX_ACM], 0x8000     ; tboot's default when no type 2 answers
  xor ebx, ebx
.params:
  push ebx
  mov eax, GETSEC_PARAMETERS
  GETSEC
  pop ebx
  mov edx, eax
  and edx, 0x1f
  jz .params_done
  cmp edx, 2
  jne .params_next
  and eax, ~0x1f
  mov [PL_MAX_ACM], eax
.params_next:
  inc ebx
  cmp ebx, 32
  jb .params
.params_done:

  ; --- TXT registers ---
  mov eax, [TXT_PUB + TXT_HEAP_BASE]
  mov [PL_HEAP], eax
  mov eax, [TXT_PUB + TXT_HEAP_SIZE]
  mov [PL_HEAP_SIZE], eax
  mov eax, [TXT_PUB + TXT_SINIT_BASE]
  mov [PL_SINIT], eax
  mov eax, [TXT_PUB + TXT_SINIT_SIZE]
  mov [PL_SINIT_SIZE], eax

  ; --- the SINIT ACM at SINIT.BASE ---
  mov ebx, [PL_SINIT]
  cmp word [ebx + ACM_MODULE_TYPE], 2
  jne fail_no_acm
  mov eax, [ebx + ACM_SIZE]          ; dwords
  shl eax, 2
  mov [PL_ACM_SIZE], eax
  mov [MB_ACM_SIZE], eax
  mov eax, [ebx + ACM_HEADER_LEN]
  add eax, [ebx + ACM_SCRATCH_SIZE]
  shl eax, 2                         ; the information table (§5)
  cmp eax, [PL_ACM_SIZE]
  jae fail_no_acm
  mov eax, [ebx + eax + ACM_INFO_CAPS]
  mov [MB_SINIT_CAPS], eax

  ; --- BiosData: the platform's, else the stand-in writes one ---
  mov edi, [PL_HEAP]
  mov dword [MB_BIOS_DATA], 0
  cmp dword [edi], 0
  jne .bios_present
  cmp dword [edi + 4], 0
  jne .bios_present
  call write_bios_data
  mov dword [MB_BIOS_DATA], 1
.bios_present:
  mov eax, [edi + 8 + 0x18]
  mov [MB_NUM_PROCS], eax

  ; --- capabilities, as tboot chooses them (§4) ---
  call choose_caps
  mov [MB_OS_CAPS], eax

  ; --- MLE page tables, MLE header variants ---
  call build_page_tables
  call patch_mle_header

  ; --- MTRRs: saved into OsMleData, then the ACM's range WB, the rest UC ---
  call write_os_mle_data
  call write_os_sinit_data
  call set_mtrrs_for_acm
  call apply_mle_variant
  call apply_loader_mistake
  call program_vtd_pmrs

  mov dword [MB_STAGE], 2
  mov esi, msg_senter
  call com1_puts
  jmp senter

fail_no_smx:
  mov esi, msg_no_smx
  jmp fail
fail_no_chipset:
  mov esi, msg_no_chipset
  jmp fail
fail_no_acm:
  mov esi, msg_no_acm
fail:
  call com1_puts
.halt:
  cli
  hlt
  jmp .halt

; BiosData version 6 (TPM 2.0) at EDI = HEAP.BASE: no BIOS ACM size or LCP
; PD, NumLogicalProcs from the scenario (entry EDI, kept at PL_VARIANT's
; neighbour), platform type from the SINIT's capabilities [7:6], END.
write_bios_data:
  push edi
  mov dword [edi + 0x00], 8 + 0x24 + 8
  mov dword [edi + 0x04], 0
  add edi, 8
  push edi
  mov ecx, (0x24 + 8) / 4
  xor eax, eax
  rep stosd
  pop edi
  mov dword [edi + 0x00], 6
  mov eax, [saved_cpus]
  test eax, eax
  jnz .n
  inc eax
.n:
  mov [edi + 0x18], eax
  mov eax, [MB_SINIT_CAPS]
  shr eax, 6
  and eax, 3
  shl eax, 1
  mov [edi + 0x20], eax              ; MleFlags [2:1] platform type
  mov dword [edi + 0x24], HEAP_EXTDATA_END
  mov dword [edi + 0x28], 8
  pop edi
  ret

; EAX = OsSinitData capabilities: the MLE header's, without the wake-up,
; PCR-mapping and log-format bits, then MONITOR if the SINIT offers it, else
; GETSEC; the details/authorities mapping (not with -DPCR_MAP_ZERO) and the
; TCG log format where the SINIT offers them; ECX page table only if offered.
choose_caps:
  mov edx, [MB_SINIT_CAPS]
  mov eax, HEADER_CAPS & ~(CAP_WAKE_GETSEC | CAP_WAKE_MONITOR | CAP_PCR_MAP_DA | CAP_TCG_EVENT_LOG)
  cmp dword [PL_VARIANT], 5
  je .getsec
  test edx, CAP_WAKE_MONITOR
  jz .getsec
  or eax, CAP_WAKE_MONITOR
  jmp .wake_done
.getsec:
  or eax, CAP_WAKE_GETSEC
.wake_done:
%ifndef PCR_MAP_ZERO
  test edx, CAP_PCR_MAP_DA
  jz .no_da
  or eax, CAP_PCR_MAP_DA
.no_da:
%endif
  test edx, CAP_TCG_EVENT_LOG
  jnz .tcg
  cmp dword [PL_VARIANT], 7
  jne .no_tcg
.tcg:
  or eax, CAP_TCG_EVENT_LOG
.no_tcg:
  test edx, CAP_ECX_PGTBL
  jnz .ecx
  and eax, ~CAP_ECX_PGTBL
.ecx:
  ret

; PDPT[0] -> PD, PD[0] -> PT, PT[i] -> MLE page i (present, 4 KiB pages,
; increasing physical addresses: §4). Variant 4 swaps PT[0] and PT[1].
build_page_tables:
  mov edi, PAGE_TABLES
  mov ecx, 3 * 0x1000 / 4
  xor eax, eax
  rep stosd
  mov dword [PAGE_TABLES], (PAGE_TABLES + 0x1000) | 1
  mov dword [PAGE_TABLES + 0x1000], (PAGE_TABLES + 0x2000) | 1
  mov edi, PAGE_TABLES + 0x2000
  mov eax, MLE_START | 1
  mov ecx, MLE_PAGES
.pte:
  mov [edi], eax
  add edi, 8
  add eax, 0x1000
  loop .pte
  cmp dword [PL_VARIANT], 4
  jne .done
  mov eax, [PAGE_TABLES + 0x2000]
  xchg eax, [PAGE_TABLES + 0x2008]
  mov [PAGE_TABLES + 0x2000], eax
.done:
  ret

; Variants 3 and 6 break the MLE header the image carries.
patch_mle_header:
  cmp dword [PL_VARIANT], 3
  jne .v6
  xor byte [mle_header], 0xff
.v6:
  cmp dword [PL_VARIANT], 6
  jne .done
  mov dword [mle_header + 0x18], MLE_SIZE + 0x1000
.done:
  ret

; OsMleData after BiosData: the stub's own layout (saved MTRRs for the MLE).
write_os_mle_data:
  mov edi, [PL_HEAP]
  add edi, [edi]                     ; past BiosData
  mov dword [edi], 8 + OSMLE_BODY
  mov dword [edi + 4], 0
  mov dword [edi + 8], OSMLE_VERSION
  mov eax, [PL_VARIANT]
  mov [edi + 0x0C], eax
  push edi
  mov ecx, MSR_MTRR_DEF_TYPE
  rdmsr
  pop edi
  mov [edi + 0x10], eax
  mov [edi + 0x14], edx
  push edi
  mov ecx, MSR_MTRR_PHYSBASE0
  rdmsr
  pop edi
  mov [edi + 0x18], eax
  mov [edi + 0x1C], edx
  push edi
  mov ecx, MSR_MTRR_PHYSMASK0
  rdmsr
  pop edi
  mov [edi + 0x20], eax
  mov [edi + 0x24], edx
  mov dword [edi + 0x28], 0
  mov dword [edi + 0x2C], 0
  add edi, 8 + OSMLE_BODY
  mov [PL_OS_SINIT], edi
  ret

; OsSinitData version 7 (variant 1: 3) after OsMleData, with its event-log
; element (EVENT_LOG_POINTER2_1 for the TCG format, else the legacy
; per-algorithm EVENT_LOG_POINTER2 for SHA-1 and SHA-256) and END. The log
; buffer is zeroed with first = next = 0: SINIT writes the header.
write_os_sinit_data:
  mov edi, EVENT_LOG
  mov ecx, EVENT_LOG_SIZE / 4
  xor eax, eax
  rep stosd
  mov edi, [PL_OS_SINIT]
  push edi
  mov ecx, (8 + OSSINIT_FIXED + 8 + 4 + 2 * 24 + 8) / 4
  xor eax, eax
  rep stosd
  pop edi
  lea ebx, [edi + 8]                 ; the body
  mov dword [ebx + 0x00], 7
  cmp dword [PL_VARIANT], 1
  jne .version
  mov dword [ebx + 0x00], 3
.version:
  mov dword [ebx + 0x08], PAGE_TABLES          ; MLEPageTableBase
  mov dword [ebx + 0x10], MLE_SIZE             ; MLESize
  mov dword [ebx + 0x18], mle_header - MLE_START ; MLEHeaderBase (linear)
  mov dword [ebx + 0x20], 0                    ; PMR low base
  mov dword [ebx + 0x28], PMR_LOW_SIZE         ; PMR low size
  cmp dword [PL_VARIANT], 2
  jne .pmr
  mov dword [ebx + 0x20], PMR_LOW_SIZE         ; [2 MiB, 4 MiB): misses the MLE
.pmr:
  mov eax, [MB_OS_CAPS]
  mov [ebx + 0x50], eax
  lea edx, [ebx + OSSINIT_FIXED]     ; the elements
  test eax, CAP_TCG_EVENT_LOG
  jz .legacy
  mov dword [edx + 0x00], HEAP_EVENT_LOG_POINTER2_1
  mov dword [edx + 0x04], 28
  mov dword [edx + 0x08], EVENT_LOG            ; PhysicalAddress
  mov dword [edx + 0x10], EVENT_LOG_SIZE       ; AllocatedEventContainerSize
  add edx, 28
  jmp .end
.legacy:
  mov dword [edx + 0x00], HEAP_EVENT_LOG_POINTER2
  mov dword [edx + 0x04], 8 + 4 + 2 * 24
  mov dword [edx + 0x08], 2                    ; two logs
  mov word [edx + 0x0C], 0x0004                ; SHA-1
  mov dword [edx + 0x10], EVENT_LOG
  mov dword [edx + 0x18], EVENT_LOG_SIZE / 2
  mov word [edx + 0x24], 0x000B                ; SHA-256
  mov dword [edx + 0x28], EVENT_LOG + EVENT_LOG_SIZE / 2
  mov dword [edx + 0x30], EVENT_LOG_SIZE / 2
  add edx, 8 + 4 + 2 * 24
.end:
  mov dword [edx + 0x00], HEAP_EXTDATA_END
  mov dword [edx + 0x04], 8
  add edx, 8
  sub edx, edi
  mov [edi], edx                     ; the table's size, its size field included
  ret

; As tboot's set_mtrrs_for_acmod: MTRRs off, every variable range off, the
; ACM (its size rounded up to 4 KiB) covered exactly by WB ranges of
; naturally aligned powers of two, default type UC, MTRRs on.
set_mtrrs_for_acm:
  mov ecx, MSR_MTRR_DEF_TYPE
  xor eax, eax
  xor edx, edx
  wrmsr
  mov ecx, MSR_MTRRCAP
  rdmsr
  movzx esi, al                      ; VCNT
  mov [PL_VCNT], esi
  mov ecx, MSR_MTRR_PHYSMASK0
.off:
  test esi, esi
  jz .ranges_off
  xor eax, eax
  xor edx, edx
  wrmsr
  add ecx, 2
  dec esi
  jmp .off
.ranges_off:
  mov eax, 0x80000000
  cpuid
  mov ecx, 36                        ; MAXPHYADDR without leaf 0x80000008
  cmp eax, 0x80000008
  jb .phys
  mov eax, 0x80000008
  cpuid
  movzx ecx, al
.phys:
  sub ecx, 32
  mov edx, 1
  shl edx, cl
  dec edx
  mov [PL_MASK_HIGH], edx            ; PHYSMASK bits above 4 GiB
  mov esi, [PL_SINIT]                ; next base
  mov edi, [PL_ACM_SIZE]
  add edi, 0xfff
  and edi, ~0xfff                    ; bytes left
  mov ebp, MSR_MTRR_PHYSBASE0
.range:
  test edi, edi
  jz .ranges_done
  mov eax, ebp
  sub eax, MSR_MTRR_PHYSBASE0
  shr eax, 1
  cmp eax, [PL_VCNT]
  jae fail_mtrrs
  bsr ecx, edi
  mov ebx, 1
  shl ebx, cl                        ; largest power of two <= bytes left
.align:
  mov eax, ebx
  dec eax
  test esi, eax                      ; base a multiple of the chunk?
  jz .aligned
  shr ebx, 1
  jmp .align
.aligned:
  mov ecx, ebp
  mov eax, esi
  or eax, 6                          ; WB
  xor edx, edx
  wrmsr
  inc ecx
  mov eax, ebx
  neg eax                            ; ~(chunk - 1)
  or eax, 1 << 11                    ; valid
  mov edx, [PL_MASK_HIGH]
  wrmsr
  add esi, ebx
  sub edi, ebx
  add ebp, 2
  jmp .range
.ranges_done:
  mov ecx, MSR_MTRR_DEF_TYPE
  mov eax, 1 << 11                   ; enabled, fixed ranges off, default UC
  xor edx, edx
  wrmsr
  ret
fail_mtrrs:
  mov esi, msg_no_mtrrs
  jmp fail

; Variants 0x10 and up: the tables, header and MTRRs are written as tboot
; writes them, then the variant's one mistake is made (list at the top).
apply_mle_variant:
  mov eax, [PL_VARIANT]
  sub eax, MLE_VARIANT_FIRST
  jb .done
  cmp eax, MLE_VARIANT_COUNT
  jae .done
  mov edi, [PL_OS_SINIT]
  jmp [.table + eax * 4]
.header_v1:
  mov dword [mle_header + 0x14], 0x10000
  ret
.header_len_1x:
  mov dword [mle_header + 0x10], 0x28
  ret
.header_len_long:
  mov dword [mle_header + 0x10], MLE_SIZE + 0x1000
  ret
.end_offset_short:
  mov dword [mle_header + 0x24], MLE_SIZE - 0x1000
  ret
.caps_getsec_only:
  and dword [mle_header + 0x28], ~CAP_WAKE_MONITOR
  ret
.cmdline_end_zero:
  mov dword [mle_header + 0x2C], 0x1000
  ret
.mle_size_high:
  mov dword [edi + 8 + 0x14], 1                   ; MLESize bits 63:32
  ret
.page_table_linear:
  mov dword [edi + 8 + 0x08], 0xC0000000 + PAGE_TABLES
  ret
.pte_missing:
  mov dword [PAGE_TABLES + 0x2000 + (MLE_PAGES - 1) * 8], 0
  ret
.pde_large:
  mov dword [PAGE_TABLES + 0x1000], 0x83          ; [0, 2 MiB): P, RW, PS
  ret
.pte_extra:
  mov dword [PAGE_TABLES + 0x2000 + MLE_PAGES * 8], (MLE_START + MLE_SIZE) | 1
  ret
.page_in_heap:
  mov eax, [PL_HEAP]
  or eax, 1
  mov [PAGE_TABLES + 0x2000 + (MLE_PAGES - 1) * 8], eax
  ret
.mtrr_default_wb:
  mov ecx, MSR_MTRR_DEF_TYPE
  mov eax, (1 << 11) | 6             ; enabled, default WB
  xor edx, edx
  wrmsr
  ret
.mtrr_low_wb:
  mov ecx, [PL_VCNT]
  lea ecx, [MSR_MTRR_PHYSBASE0 + ecx * 2 - 2]
  mov eax, 6                         ; base 0, WB
  xor edx, edx
  wrmsr
  inc ecx
  mov eax, ~(0x200000 - 1) | (1 << 11)
  mov edx, [PL_MASK_HIGH]
  wrmsr
.done:
  ret
.table:                              ; by variant - MLE_VARIANT_FIRST
  dd .header_v1
  dd .header_len_1x
  dd .header_len_long
  dd .end_offset_short
  dd .caps_getsec_only
  dd .cmdline_end_zero
  dd .mle_size_high
  dd .page_table_linear
  dd .pte_missing
  dd .pde_large
  dd .pte_extra
  dd .page_in_heap
  dd .mtrr_default_wb
  dd .mtrr_low_wb

; When the scenario names a VT-d unit (entry EBP, as firmware would through
; the ACPI DMAR table) and it answers there: its low PMR = OsSinitData's low PMR
; (PLMLIMIT is the base of the range's last 2 MiB), high PMR off, PMEN.EPM,
; then PMEN.PRS polled.
program_vtd_pmrs:
  mov ebx, [PL_VTD]
  test ebx, ebx
  jz .none
  mov eax, [ebx + VTD_VER]
  test eax, eax
  jz .none
  cmp eax, 0xffffffff
  je .none
  mov edi, [PL_OS_SINIT]
  mov eax, [edi + 8 + 0x20]
  mov [ebx + VTD_PLMBASE], eax
  add eax, [edi + 8 + 0x28]
  sub eax, 0x200000
  mov [ebx + VTD_PLMLIMIT], eax
  mov dword [ebx + VTD_PHMBASE], 0x200000
  mov dword [ebx + VTD_PHMBASE + 4], 0
  mov dword [ebx + VTD_PHMLIMIT], 0
  mov dword [ebx + VTD_PHMLIMIT + 4], 0
  mov dword [ebx + VTD_PMEN], VTD_PMEN_EPM
  mov ecx, 100000
.poll:
  test dword [ebx + VTD_PMEN], VTD_PMEN_PRS
  jnz .on
  loop .poll
  mov esi, msg_no_prs
  jmp fail
.on:
  mov esi, msg_pmrs_on
  call com1_puts
.none:
  ret

TIS_RSP_MAX equ 16
%include "com1.inc"
%include "com1_hex32.inc"
%include "tis_fifo.inc"
%include "loader_mistakes.inc"
cmd_startup:
  db 0x80, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x01, 0x44, 0x00, 0x00   ; TPM2_Startup(CLEAR)
cmd_startup_len equ $ - cmd_startup
response: times TIS_RSP_MAX db 0
saved_cpus: dd 0

msg_pre:             db "stub: pre-launch, variant ", 0
msg_senter:          db "stub: GETSEC[SENTER]", 10, 0
msg_senter_returned: db "stub: SENTER returned", 10, 0
msg_no_smx:          db "stub: no SMX", 10, 0
msg_no_chipset:      db "stub: no TXT chipset", 10, 0
msg_no_acm:          db "stub: no SINIT ACM at SINIT.BASE", 10, 0
msg_no_prs:          db "stub: VT-d PMEN.PRS never set", 10, 0
msg_no_mtrrs:        db "stub: too few variable MTRRs for the ACM", 10, 0
msg_pmrs_on:         db "stub: VT-d PMRs on", 10, 0

  times SENTER_AT - PRELAUNCH - ($ - $$) db 0

; GETSEC[SENTER] (EBX = SINIT.BASE, ECX = the ACM's size, EDX = 0) at a fixed
; address, so a scenario can stop there whatever SENTER does.
senter:
  mov ebx, [PL_SINIT]
  mov ecx, [PL_ACM_SIZE]
  xor edx, edx
  mov eax, GETSEC_SENTER
  GETSEC
  mov esi, msg_senter_returned
  jmp fail

  times PL_DATA - PRELAUNCH - ($ - $$) db 0
  times PAGE_TABLES - PRELAUNCH - ($ - $$) db 0
  times MLE_START - PRELAUNCH - ($ - $$) db 0

; ---------------------------------------------------------------------------
; The MLE (measured: linear 0 = MLE_START)
; ---------------------------------------------------------------------------
mle_header:                          ; §4, version 2.1
  db 0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74, 0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42
  dd 0x34                            ; HeaderLen
  dd 0x20001                         ; Version
  dd MLE_ENTRY - MLE_START           ; EntryPoint (linear)
  dd 0                               ; FirstValidPage
  dd 0                               ; MleStartOffset
  dd MLE_SIZE                        ; MleEndOffset
  dd HEADER_CAPS                     ; Capabilities
  dd 0, 0                            ; command line window: none
  times MLE_ENTRY - MLE_START - ($ - mle_header) db 0

; The ILP after SINIT. Nothing may change EFLAGS before it is saved, and
; only CS is known good: store through CS until the GDT is loaded.
mle_entry:
  mov [cs:MB_EBX], ebx
  mov [cs:MB_ECX], ecx
  mov [cs:MB_EDX], edx
  mov eax, cr0
  mov [cs:MB_CR0], eax
  mov eax, cr4
  mov [cs:MB_CR4], eax
  lgdt [cs:mle_gdt_desc]
  jmp 0x08:.flat
.flat:
  mov eax, 0x10
  mov ds, eax
  mov es, eax
  mov ss, eax
  mov esp, MLE_STACK_TOP
  pushfd
  pop dword [MB_EFLAGS]
  mov dword [MB_STAGE], 3
  mov ecx, MSR_EFER
  rdmsr
  mov [MB_EFER], eax
  mov esi, msg_mle
  call mle_puts

  ; --- the entry state (spec §6) ---
  xor edi, edi
  mov eax, [MB_CR0]
  test eax, 1
  jnz .pe
  or edi, BAD_PE
.pe:
  test eax, eax
  jns .pg
  or edi, BAD_PG
.pg:
  cmp dword [MB_CR4], CR4_SMXE
  je .cr4
  or edi, BAD_CR4
.cr4:
  cmp dword [MB_EFLAGS], 2
  je .eflags
  or edi, BAD_EFLAGS
.eflags:
  cmp dword [MB_EBX], MLE_ENTRY
  je .ebx
  or edi, BAD_EBX
.ebx:
  test dword [MB_OS_CAPS], CAP_ECX_PGTBL
  jz .ecx
  cmp dword [MB_ECX], PAGE_TABLES
  je .ecx
  or edi, BAD_ECX
.ecx:
  cmp dword [MB_EDX], 0
  je .edx
  or edi, BAD_EDX
.edx:
  cmp dword [MB_EFER], 0
  je .efer
  or edi, BAD_EFER
.efer:
  mov eax, [TXT_PUB + TXT_STS]
  mov [MB_STS], eax
  test eax, TXT_STS_SENTER_DONE
  jnz .sts
  or edi, BAD_STS
.sts:
  cmp word [TXT_PRIV + TXT_DIDVID], 0x8086
  je .private
  or edi, BAD_PRIVATE
.private:
  ; SinitMleData: the fourth table (§3)
  mov ebx, [TXT_PUB + TXT_HEAP_BASE]
  add ebx, [ebx]                     ; BiosData
  add ebx, [ebx]                     ; OsMleData
  add ebx, [ebx]                     ; OsSinitData
  mov eax, [ebx + 8]
  mov [MB_SMD_VERSION], eax
  cmp eax, 6
  jae .smd
  or edi, BAD_SMD
.smd:
  mov eax, [ebx + 8 + 0x78]
  mov [MB_WAKE_ADDR], eax
  test dword [MB_OS_CAPS], CAP_WAKE_MONITOR
  jz .wake_addr
  test eax, eax
  jnz .wake_addr
  or edi, BAD_WAKE_ADDR
.wake_addr:
  ; SINIT's DMAR copy (spec §3): SinitVtdDmarTableSize at 0x88,
  ; SinitVtdDmarTableOffset at 0x8C, counted from SinitMleData's size field
  ; (as Linux's tboot_get_dmar_table reads it: docs/txt-vtd.md). The
  ; size is the table's (the ACPI Length field); the whole table sums to 0.
  mov ecx, [ebx + 8 + 0x88]
  mov [MB_DMAR_SIZE], ecx
  test ecx, ecx
  jz .dmar_done                      ; no DMAR on this platform: no copy
  mov esi, [ebx + 8 + 0x8C]
  cmp esi, 8                         ; not over the size field
  jb .dmar_outside
  cmp dword [ebx + 4], 0             ; SinitMleData's size, high dword
  jne .dmar_outside
  mov eax, esi
  add eax, ecx
  jc .dmar_outside
  cmp eax, [ebx]
  ja .dmar_outside
  add esi, ebx                       ; the copy
  cmp ecx, 36                        ; an ACPI table header at least
  jb .dmar_length
  cmp dword [esi], 'DMAR'
  je .dmar_sig
  or edi, BAD_DMAR_SIG
.dmar_sig:
  cmp [esi + 4], ecx
  jne .dmar_length
  xor eax, eax
.dmar_sum:
  add al, [esi]
  inc esi
  loop .dmar_sum
  test al, al
  jz .dmar_done
  or edi, BAD_DMAR_SUM
  jmp .dmar_done
.dmar_length:
  or edi, BAD_DMAR_LEN
  jmp .dmar_done
.dmar_outside:
  or edi, BAD_DMAR_RANGE
.dmar_done:
  mov [MB_ENTRY_BAD], edi
  mov esi, msg_entry
  call mle_puts
  mov eax, edi
  call mle_hex32

  ; --- what tboot does next: ERRORCODE and ESTS cleared, SMI back on,
  ; MTRRs as before SENTER, secrets in memory ---
  mov dword [TXT_PRIV + TXT_ERRORCODE], 0
  mov dword [TXT_PRIV + TXT_ESTS], 0xffffffff
  mov eax, GETSEC_SMCTRL
  xor ebx, ebx
  GETSEC
  call restore_mtrrs
  mov dword [TXT_PRIV + TXT_CMD_SECRETS], 1
  mov eax, [TXT_PRIV + TXT_E2STS]    ; fence
%ifdef MLE_ACM_LEAF
  mov eax, GETSEC_ENTERACCS
  mov ebx, MLE_ACM
  mov ecx, MLE_ACM_SIZE
  mov esi, 3                         ; the BIOS ACM NOP function
  mov edi, MLE_ACM_LEAF
  GETSEC
%endif
  jmp MLE_WAKE

; MTRRs as OsMleData saved them: the ranges pre-launch used for the ACM
; off, range 0 and the default type back (the stub saves no more: at
; power-on the other ranges are off).
restore_mtrrs:
  mov ebx, [TXT_PUB + TXT_HEAP_BASE]
  add ebx, [ebx]                     ; OsMleData
  mov ecx, MSR_MTRR_DEF_TYPE
  xor eax, eax
  xor edx, edx
  wrmsr
  mov ecx, MSR_MTRRCAP
  rdmsr
  movzx esi, al
  mov ecx, MSR_MTRR_PHYSMASK0
.off:
  test esi, esi
  jz .restore
  xor eax, eax
  xor edx, edx
  wrmsr
  add ecx, 2
  dec esi
  jmp .off
.restore:
  mov ecx, MSR_MTRR_PHYSBASE0
  mov eax, [ebx + 0x18]
  mov edx, [ebx + 0x1C]
  wrmsr
  mov ecx, MSR_MTRR_PHYSMASK0
  mov eax, [ebx + 0x20]
  mov edx, [ebx + 0x24]
  wrmsr
  mov ecx, MSR_MTRR_DEF_TYPE
  mov eax, [ebx + 0x10]
  mov edx, [ebx + 0x14]
  wrmsr
  ret

; The MLE's own serial output (it calls nothing outside the measured
; image): mle_puts prints ESI's NUL-terminated string (the guests' com1_puts,
; placed here under its own name), mle_hex32 EAX as 8 hex digits and a
; newline. Both keep every register but ESI.
%include "com1_puts_macro.inc"
%include "com1_hex_digits_macro.inc"
COM1_PUTS mle_puts
mle_hex32:
  pushad
  COM1_HEX_DIGITS
  mov al, 10
  out dx, al
  popad
  ret

msg_mle:   db "mle: entered", 10, 0
msg_entry: db "mle: entry-state failures ", 0
msg_wake_getsec:  db "mle: GETSEC[WAKEUP]", 10, 0
msg_wake_monitor: db "mle: RLP wake-up address", 10, 0
msg_joined: db "mle: RLPs joined ", 0
msg_rlp_bad: db "mle: RLP state failures ", 0
msg_done:  db "mle: done", 10, 0

  times MLE_WAKE - MLE_START - ($ - mle_header) db 0

; The ILP wakes the RLPs: MLE.JOIN, then GETSEC[WAKEUP] or a write to the
; address SINIT gave, and waits for NumLogicalProcs - 1 check-ins.
mle_wake:
  mov dword [TXT_PRIV + TXT_MLE_JOIN], mle_join
  test dword [MB_OS_CAPS], CAP_WAKE_MONITOR
  jnz .monitor
  mov dword [MB_WAKE_METHOD], 1
  mov esi, msg_wake_getsec
  call mle_puts
  mov eax, GETSEC_WAKEUP
  GETSEC
  jmp .woken
.monitor:
  mov dword [MB_WAKE_METHOD], 2
  mov esi, msg_wake_monitor
  call mle_puts
  mov ebx, [MB_WAKE_ADDR]
  mov dword [ebx], 1
.woken:
  mov dword [MB_STAGE], 4
  mov edx, [MB_NUM_PROCS]
  dec edx
  mov ecx, 1000000
.wait:
  cmp [MB_RLP_COUNT], edx
  jae .joined
  pause
  loop .wait
.joined:
  mov esi, msg_joined
  call mle_puts
  mov eax, [MB_RLP_COUNT]
  call mle_hex32
  mov esi, msg_rlp_bad
  call mle_puts
  mov eax, [MB_RLP_BAD]
  call mle_hex32
  mov dword [MB_STAGE], 5
  mov esi, msg_done
  call mle_puts
.halt:
  cli
  hlt
  jmp .halt

  times RLP_ENTRY - MLE_START - ($ - mle_header) db 0

; An RLP woken through MLE.JOIN: CS = 0x08, DS/ES/SS = 0x10, no stack.
rlp_entry:
  xor edi, edi
  mov eax, cr0
  cmp eax, 0x21                      ; PE | NE
  je .cr0
  or edi, RBAD_CR0
.cr0:
  mov eax, cr4
  cmp eax, CR4_SMXE
  je .cr4
  or edi, RBAD_CR4
.cr4:
  mov eax, ds
  cmp eax, 0x10
  je .ds
  or edi, RBAD_DS
.ds:
  lock or [MB_RLP_BAD], edi
  mov eax, [0xFEE00020]              ; local APIC ID
  shr eax, 24
  lock bts [MB_RLP_IDS], eax
  lock inc dword [MB_RLP_COUNT]
.halt:
  cli
  hlt
  jmp .halt

  align 16
mle_gdt:
  dq 0
  dq 0x00CF9A000000FFFF              ; 0x08 flat 32-bit code
  dq 0x00CF92000000FFFF              ; 0x10 flat data
mle_gdt_end:
mle_gdt_desc:
  dw mle_gdt_end - mle_gdt - 1
  dd mle_gdt
  align 16
mle_join:                            ; MLE.JOIN (§2): GDT limit, base, CS, EIP
  dd JOIN_GDT_LIMIT
  dd mle_gdt
  dd 0x08
  dd rlp_entry

  times MLE_SIZE - ($ - mle_header) db 0
