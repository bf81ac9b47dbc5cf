// The SDT header, checksums and the table check (see acpi_sdt.h).
#include "sim/acpi/acpi_sdt.h"

#include <cstring>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/le_reader.h"

namespace dlsim {

uint8_t acpiByteSum(std::span<const uint8_t> bytes) {
  uint8_t sum = 0;
  for (uint8_t b : bytes) sum = static_cast<uint8_t>(sum + b);
  return sum;
}

void putPaddedAscii(uint8_t* out, const std::string& s, size_t width) {
  if (s.size() > width) throw InternalError("ACPI id \"" + s + "\" is longer than " + std::to_string(width));
  std::memset(out, ' ', width);
  std::memcpy(out, s.data(), s.size());
}

SdtWriter::SdtWriter(const char (&signature)[5], uint8_t revision, const AcpiIds& ids) : data_(kSdtHeaderSize, 0) {
  std::memcpy(data_.data() + kSdtSignature, signature, 4);
  data_[kSdtRevision] = revision;
  putPaddedAscii(data_.data() + kSdtOemId, ids.oemId, 6);
  putPaddedAscii(data_.data() + kSdtOemTableId, ids.oemTableId, 8);
  patch32(kSdtOemRevision, ids.oemRevision);
  putPaddedAscii(data_.data() + kSdtCreatorId, ids.creatorId, 4);
  patch32(kSdtCreatorRevision, ids.creatorRevision);
}

void SdtWriter::put(uint64_t v, unsigned len) {
  for (unsigned i = 0; i < len; ++i) data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void SdtWriter::patch32(uint64_t off, uint32_t v) {
  for (unsigned i = 0; i < 4; ++i) data_.at(off + i) = static_cast<uint8_t>(v >> (8 * i));
}

std::vector<uint8_t> SdtWriter::finish() {
  patch32(kSdtLength, static_cast<uint32_t>(data_.size()));
  setAcpiChecksum(data_, kSdtChecksum);
  return std::move(data_);
}

void setAcpiChecksum(std::span<uint8_t> bytes, uint64_t checksumOffset) {
  bytes[checksumOffset] = 0;
  bytes[checksumOffset] = static_cast<uint8_t>(0x100 - acpiByteSum(bytes));
}

std::string sdtSignature(std::span<const uint8_t> table) {
  std::string s;
  for (size_t i = 0; i < 4 && i < table.size(); ++i) s += (table[i] >= 0x20 && table[i] < 0x7f) ? char(table[i]) : '?';
  return s;
}

void validateSdt(std::span<const uint8_t> table, const std::string& source) {
  LeReader r(table, source);
  if (table.size() < kSdtHeaderSize)
    r.fail("ACPI table of " + std::to_string(table.size()) + " bytes is shorter than its 36-byte header");
  for (size_t i = 0; i < 4; ++i)
    if (table[i] < 0x20 || table[i] >= 0x7f)
      r.fail("ACPI table signature byte " + std::to_string(i) + " is " + hex(table[i]) + ", not printable ASCII");
  const uint32_t length = r.u32(kSdtLength, "length");
  if (length != table.size())
    r.fail("ACPI table \"" + sdtSignature(table) + "\": header length " + std::to_string(length) + " but the table has " +
           std::to_string(table.size()) + " bytes");
  if (uint8_t sum = acpiByteSum(table); sum != 0)
    r.fail("ACPI table \"" + sdtSignature(table) + "\": checksum byte " + hex(table[kSdtChecksum]) +
           " is wrong (the bytes sum to " + hex(sum) + " mod 256, not 0)");
}

}  // namespace dlsim
