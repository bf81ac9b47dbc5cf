#include "svm_model/handoff/handoff_tags.h"

namespace dlsim::svm {

FieldBlock encodeSklTags(const HandoffDesc& d, uint64_t address) {
  FieldBlock b("tags", address);
  uint32_t o = 0;
  auto header = [&](const std::string& tag, uint8_t type, uint8_t len) {
    b.number("tags." + tag + ".type", o, 1, type);
    b.number("tags." + tag + ".len", o + 1, 1, len);
  };
  header("tags_size", kSklTagTagsSize, 4);
  uint32_t sizeAt = o + 2;  // filled in last
  o += 4;
  if (d.kernel == KernelKind::Linux) {
    header("boot_linux", kSklTagBootLinux, 6);
    b.number("tags.boot_linux.zero_page", o + 2, 4, d.bootParamsBase);
    o += 6;
  } else {
    header("boot_mb2", kSklTagBootMb2, 14);
    b.number("tags.boot_mb2.mbi", o + 2, 4, d.bootParamsBase);
    b.number("tags.boot_mb2.kernel_entry", o + 6, 4, d.kernelBase + d.kernelEntryOffset);
    b.number("tags.boot_mb2.kernel_size", o + 10, 4, d.kernelSize);
    o += 14;
  }
  header("event_log", kSklTagEventLog, 10);
  b.number("tags.event_log.address", o + 2, 4, d.logBase);
  b.number("tags.event_log.size", o + 6, 4, d.logSize);
  o += 10;
  header("end", kSklTagEnd, 2);
  o += 2;
  b.number("tags.tags_size.size", sizeAt, 2, o);
  return b;
}

}  // namespace dlsim::svm
