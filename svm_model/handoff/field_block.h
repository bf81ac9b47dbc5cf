// One block of guest memory the hand-off writes (an SLRT, a tag list, a zero
// page, a Multiboot2 information structure), built field by field: each
// field is written little-endian at its offset and remembered under a dotted
// name ("dl_info.dlme_entry", "entry_policy.entries[1].pcr"), so a scenario
// can later replace any field's value by name (handoff_builder.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::svm {

struct BlockField {
  std::string name;
  uint32_t offset = 0;  // from the block start
  uint32_t width = 0;   // bytes: 1, 2, 4, 8 for numbers, N for text
  bool text = false;    // a NUL-padded char[width] (policy evt_info, command line)
  uint64_t value = 0;   // numbers only
  std::string textValue;
};

class FieldBlock {
 public:
  FieldBlock(std::string name, uint64_t address) : name_(std::move(name)), address_(address) {}

  const std::string& name() const { return name_; }
  uint64_t address() const { return address_; }
  uint32_t size() const { return uint32_t(bytes_.size()); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  const std::vector<BlockField>& fields() const { return fields_; }

  // Grows the block (zero-filled) to at least `size` bytes.
  void reserve(uint32_t size);
  // Writes an unsigned number of `width` bytes at `offset` and names it.
  void number(const std::string& name, uint32_t offset, uint32_t width, uint64_t value);
  // Writes `text` NUL-padded into char[width] at `offset` (cut to width).
  void text(const std::string& name, uint32_t offset, uint32_t width, const std::string& value);

  // The named field, or nullptr.
  BlockField* find(const std::string& name);
  // Rewrites a field in place (the value must fit; the caller checked).
  void setNumber(BlockField& f, uint64_t value);
  void setText(BlockField& f, const std::string& value);

 private:
  std::string name_;
  uint64_t address_;
  std::vector<uint8_t> bytes_;
  std::vector<BlockField> fields_;
};

}  // namespace dlsim::svm
