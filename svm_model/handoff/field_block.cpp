#include "svm_model/handoff/field_block.h"

#include <algorithm>

#include "sim/errors.h"

namespace dlsim::svm {

void FieldBlock::reserve(uint32_t size) {
  if (bytes_.size() < size) bytes_.resize(size, 0);
}

void FieldBlock::number(const std::string& name, uint32_t offset, uint32_t width, uint64_t value) {
  if (find(name)) throw InternalError("hand-off block " + name_ + ": field " + name + " written twice");
  reserve(offset + width);
  fields_.push_back({name, offset, width, false, 0, {}});
  setNumber(fields_.back(), value);
}

void FieldBlock::text(const std::string& name, uint32_t offset, uint32_t width, const std::string& value) {
  if (find(name)) throw InternalError("hand-off block " + name_ + ": field " + name + " written twice");
  reserve(offset + width);
  fields_.push_back({name, offset, width, true, 0, {}});
  setText(fields_.back(), value);
}

BlockField* FieldBlock::find(const std::string& name) {
  auto it = std::find_if(fields_.begin(), fields_.end(), [&](const BlockField& f) { return f.name == name; });
  return it == fields_.end() ? nullptr : &*it;
}

void FieldBlock::setNumber(BlockField& f, uint64_t value) {
  f.value = value;
  for (uint32_t i = 0; i < f.width; ++i) bytes_[f.offset + i] = uint8_t(i < 8 ? value >> (8 * i) : 0);
}

void FieldBlock::setText(BlockField& f, const std::string& value) {
  f.textValue = value.substr(0, f.width);
  for (uint32_t i = 0; i < f.width; ++i) bytes_[f.offset + i] = i < value.size() ? uint8_t(value[i]) : 0;
}

}  // namespace dlsim::svm
