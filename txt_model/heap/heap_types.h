// The TXT heap's four tables and their extended data elements, as plain data
// (Intel TXT Software Development Guide appendix C; shared/spec/intel-txt.md
// §3, checked against tboot include/txt/heap.h, TrenchBoot Linux
// include/linux/slaunch.h and coreboot txt_register.h).
//
// The heap at TXT.HEAP.BASE holds, in this order, BiosData, OsMleData,
// OsSinitData and SinitMleData; each table is preceded by a u64 size that
// counts those 8 bytes. Offsets inside SinitMleData (MDR table, DMAR copy)
// count from that size field. Everything is little-endian.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim::txt::heap {

// Extended data element types (SDG C.5). 3 STM, 6 MADT, 9 MCFG, 14 DTPR and
// 15 CEDT are kept as opaque bytes (MADT/MCFG/CEDT are ACPI table copies).
enum class ElementType : uint32_t {
  kEnd = 0,
  kBiosSpecVer = 1,
  kAcm = 2,
  kStm = 3,
  kCustom = 4,
  kTpmEventLogPtr = 5,     // TPM 1.2: u64 address of a "TXT Event Container"
  kMadt = 6,
  kEventLogPointer2 = 7,   // legacy TPM 2.0 per-algorithm logs
  kEventLogPointer2_1 = 8, // TPM 2.0 TCG crypto-agile log
  kMcfg = 9,
  kTprReq = 13,
  kDtpr = 14,
  kCedt = 15,
};

// Name used in reports ("END", "BIOS_SPEC_VER", ...; "type_N" when unknown).
std::string elementTypeName(uint32_t type);

inline constexpr uint32_t kElementHeaderSize = 8;

struct ExtElement {
  uint32_t type = 0;
  uint32_t size = 0;            // as read (header included); builders set it
  std::vector<uint8_t> data;    // size - 8 bytes
  uint64_t heapOffset = 0;      // where a parser found it (0 for built ones)
};

// ---- decoded element bodies ----
struct BiosSpecVer { uint16_t major = 0, minor = 0, revision = 0; };          // 6 bytes
struct AcmAddresses { std::vector<uint64_t> addresses; };                    // u32 n; u64[n]
struct CustomElement { std::array<uint8_t, 16> uuid{}; std::vector<uint8_t> data; };
struct EventLogDescriptor {                                                  // 24 bytes
  uint16_t alg = 0;
  uint16_t reserved = 0;
  uint64_t physAddr = 0;
  uint32_t size = 0;
  uint32_t firstEventOffset = 0;
  uint32_t nextEventOffset = 0;
};
struct EventLogPointer2 { std::vector<EventLogDescriptor> logs; };            // u32 count; descriptors
struct EventLogPointer2_1 {                                                  // 20 bytes (element 28)
  uint64_t physAddr = 0;
  uint32_t allocatedSize = 0;
  uint32_t firstRecordOffset = 0;
  uint32_t nextRecordOffset = 0;
};
struct TprRange { uint64_t base = 0, size = 0; };
struct TprRequest { std::vector<TprRange> ranges; };                        // u32 n; {u64,u64}[n]

// ---- tables ----
struct BiosData {
  uint32_t version = 0;
  uint32_t biosSinitSize = 0;
  uint64_t lcpPdBase = 0;
  uint64_t lcpPdSize = 0;
  uint32_t numLogicalProcs = 0;
  uint32_t sinitFlags = 0;  // v3+
  uint32_t mleFlags = 0;    // v5+: bit 0 ACPI PPI, bits 2:1 platform type (1 client, 2 server)
  std::vector<ExtElement> elements;  // v4+
};

// tboot's own OsMleData (version 3; tboot 1.10/1.11 layout).
struct TbootOsMleData {
  uint64_t mtrrDefType = 0;
  uint32_t numVarMtrrs = 0;
  std::vector<std::pair<uint64_t, uint64_t>> varMtrrs;  // (base, mask), at most 16
  uint32_t loaderContextAddr = 0;
  uint32_t savedMiscEnable = 0;
  uint32_t eventLogBufferOffset = 0;  // offset of its event log buffer in the table body
};
// The Linux Secure Launch OsMleData (version 1).
struct LinuxOsMleData {
  uint32_t bootParamsAddr = 0;
  uint64_t slrt = 0;
  uint64_t txtInfo = 0;
  uint32_t apWakeBlock = 0;
  uint32_t apWakeBlockSize = 0;
};
// OsMleData belongs to the loader and its MLE; SINIT only skips it.
struct OsMleData {
  std::vector<uint8_t> bytes;  // the body (size - 8 bytes)
  std::optional<uint32_t> version;         // first u32, when there are 4 bytes
  std::optional<TbootOsMleData> tboot;     // recognised layouts, for reports
  std::optional<LinuxOsMleData> linuxSl;
};

struct OsSinitData {
  uint32_t version = 0;
  uint32_t flags = 0;             // v7: bit 0 PCR extend policy (0 max agility, 1 max performance)
  uint64_t mlePageTableBase = 0;  // physical
  uint64_t mleSize = 0;
  uint64_t mleHeaderBase = 0;     // linear: offset in the MLE
  uint64_t pmrLowBase = 0, pmrLowSize = 0;
  uint64_t pmrHighBase = 0, pmrHighSize = 0;
  uint64_t lcpPoBase = 0, lcpPoSize = 0;
  uint32_t capabilities = 0;
  uint64_t rsdp = 0;              // v5: RSDT, v6+: RSDP (EFI launches)
  std::vector<ExtElement> elements;  // v6+
};

// Memory descriptor record (24 bytes).
enum class MdrType : uint8_t { kGood = 0, kSmramOverlay = 1, kSmramNonOverlay = 2, kPcieConfig = 3, kProtected = 4 };
std::string mdrTypeName(uint8_t type);
struct Mdr {
  uint64_t base = 0;
  uint64_t length = 0;
  uint8_t type = 0;
};

using Sha1Digest = std::array<uint8_t, 20>;

struct SinitMleData {
  uint32_t version = 0;
  // Fields up to lcpPolicyControl: TPM 1.2 only, zero in version 9.
  Sha1Digest biosAcmId{};
  uint32_t edxSenterFlags = 0;
  uint64_t msegValid = 0;
  Sha1Digest sinitHash{};
  Sha1Digest mleHash{};
  Sha1Digest stmHash{};
  Sha1Digest lcpPolicyHash{};
  uint32_t lcpPolicyControl = 0;
  uint32_t rlpWakeupAddr = 0;  // v7+
  uint32_t reserved = 0;
  // The table offsets as read (from the size field); builders compute them.
  uint32_t numMdrs = 0;
  uint32_t mdrTableOffset = 0;
  uint32_t dmarSize = 0;
  uint32_t dmarOffset = 0;
  uint32_t processorScrtmStatus = 0;  // v8+
  std::vector<ExtElement> elements;   // v9+
  std::vector<Mdr> mdrs;
  std::vector<uint8_t> dmar;          // SINIT's copy of the ACPI DMAR table
};

// Where a table sits in the heap (offset of its size field) and its size.
struct TableExtent {
  uint64_t offset = 0;
  uint64_t size = 0;
};

// The heap as parsed. A table that could not be read is absent; the reason
// is in the parse result's failures.
struct TxtHeap {
  uint64_t heapSize = 0;  // bytes the parser was given (HEAP.SIZE)
  std::optional<TableExtent> biosExtent, osMleExtent, osSinitExtent, sinitMleExtent;
  std::optional<BiosData> bios;
  std::optional<OsMleData> osMle;
  std::optional<OsSinitData> osSinit;
  std::optional<SinitMleData> sinitMle;
};

// Fixed part of each table body (after the size field), by version.
uint64_t biosDataFixedSize(uint32_t version);      // v2 0x1C, v3+ 0x24
uint64_t osSinitDataFixedSize(uint32_t version);   // v4 0x54, v5+ 0x5C
uint64_t sinitMleDataFixedSize(uint32_t version);  // v6/7 0x90, v8+ 0x94

}  // namespace dlsim::txt::heap
