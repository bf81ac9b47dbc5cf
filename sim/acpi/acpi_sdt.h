// The ACPI System Description Table header every table but the RSDP and the
// FACS starts with (ACPI 6.5 section 5.2.6, table 5.4), its checksum, and the
// check a table from outside dlsim must pass (signature, length, checksum).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

// Offsets in the 36-byte SDT header (ACPI 6.5 table 5.4).
inline constexpr uint64_t kSdtSignature = 0;      // 4 ASCII bytes
inline constexpr uint64_t kSdtLength = 4;         // u32, whole table incl. header
inline constexpr uint64_t kSdtRevision = 8;       // u8
inline constexpr uint64_t kSdtChecksum = 9;       // u8: whole table sums to 0 mod 256
inline constexpr uint64_t kSdtOemId = 10;         // 6 bytes
inline constexpr uint64_t kSdtOemTableId = 16;    // 8 bytes
inline constexpr uint64_t kSdtOemRevision = 24;   // u32
inline constexpr uint64_t kSdtCreatorId = 28;     // 4 bytes
inline constexpr uint64_t kSdtCreatorRevision = 32;  // u32
inline constexpr uint64_t kSdtHeaderSize = 36;

// The identity fields dlsim writes into every table it builds. Strings
// shorter than their field are padded with spaces (as firmware does).
struct AcpiIds {
  std::string oemId = "DLSIM";         // <= 6 characters
  std::string oemTableId = "DLSIMPLT";  // <= 8 characters
  uint32_t oemRevision = 1;
  std::string creatorId = "DLSM";      // <= 4 characters
  uint32_t creatorRevision = 1;
  bool operator==(const AcpiIds&) const = default;
};

// Sum of the bytes mod 256 (0 for a table with a correct checksum).
uint8_t acpiByteSum(std::span<const uint8_t> bytes);

// A table being built: the header with `signature` and `revision`, then the
// body appended with the put* calls; finish() sets length and checksum.
class SdtWriter {
 public:
  SdtWriter(const char (&signature)[5], uint8_t revision, const AcpiIds& ids);
  uint64_t size() const { return data_.size(); }
  void put8(uint8_t v) { put(v, 1); }
  void put16(uint16_t v) { put(v, 2); }
  void put32(uint32_t v) { put(v, 4); }
  void put64(uint64_t v) { put(v, 8); }
  void putBytes(std::span<const uint8_t> b) { data_.insert(data_.end(), b.begin(), b.end()); }
  void zeros(size_t n) { data_.resize(data_.size() + n, 0); }
  // Overwrites already appended bytes (fields whose value is known later).
  void patch32(uint64_t off, uint32_t v);
  std::vector<uint8_t> finish();

 private:
  void put(uint64_t v, unsigned len);
  std::vector<uint8_t> data_;
};

// Writes `s` padded with spaces to `width` bytes at `out`; `s` must fit.
void putPaddedAscii(uint8_t* out, const std::string& s, size_t width);

// Sets the checksum byte at `checksumOffset` so that bytes[0, length) sum to 0.
void setAcpiChecksum(std::span<uint8_t> bytes, uint64_t checksumOffset);

// The table's 4-character signature as text (non-printable bytes as '?').
std::string sdtSignature(std::span<const uint8_t> table);

// Checks a whole table: at least a header, four printable ASCII signature
// characters, the header's length equal to the bytes given, a zero byte sum.
// Throws InputError "<source>: ..." naming what is wrong and its value.
void validateSdt(std::span<const uint8_t> table, const std::string& source);

}  // namespace dlsim
