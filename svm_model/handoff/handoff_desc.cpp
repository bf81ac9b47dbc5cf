#include "svm_model/handoff/handoff_desc.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {

namespace {

constexpr uint64_t k4G = 0x100000000ull;

[[noreturn]] void fail(const HandoffDesc& d, const std::string& field, const std::string& what) {
  throw InputError(d.source + ": " + d.pointer + field + ": " + what);
}

// [base, base + size) must lie below 4 GiB (no wrap).
void below4G(const HandoffDesc& d, const std::string& field, const std::string& what, uint64_t base, uint64_t size) {
  if (base >= k4G || size > k4G - base)
    fail(d, field, what + " [" + hex(base) + ", +" + hex(size) + ") does not lie below 4 GiB");
}

}  // namespace

uint16_t handoffLogFormat(const HandoffDesc& d) {
  if (d.logFormat) return *d.logFormat;
  return d.tpm == TpmFamily::Tpm12 ? kLogFormatTpm12Txt : kLogFormatTpm20Tcg;
}

void validateHandoffDesc(const HandoffDesc& d) {
  if (d.slbBase % kSlbSize) fail(d, "/slb_base", hex(d.slbBase) + ": the SLB base must be 64 KiB-aligned");
  below4G(d, "/slb_base", "the SLB", d.slbBase, kSlbSize);
  if (d.bootloaderDataOffset == 0)
    fail(d, "/bootloader_data_offset", "0: the bootloader data cannot start at the SLB header");
  if (d.kernelSize == 0) fail(d, "/kernel/size", "0: the kernel (DLME) cannot be empty");
  below4G(d, "/kernel/base", "the kernel", d.kernelBase, d.kernelSize);
  if (d.kernelEntryOffset > UINT32_MAX)
    fail(d, "/kernel/entry_offset", hex(d.kernelEntryOffset) + " does not fit 32 bits");
  below4G(d, "/boot_params_base", "the boot parameters page", d.bootParamsBase, 0x1000);
  if (d.logSize == 0 || d.logSize > UINT32_MAX)
    fail(d, "/event_log/size", hex(d.logSize) + " is not in 1..0xffffffff");
  below4G(d, "/event_log/base", "the event log", d.logBase, d.logSize);
  if (d.logFormat && *d.logFormat != kLogFormatTpm12Txt && *d.logFormat != kLogFormatTpm20Tcg)
    fail(d, "/event_log/format", std::to_string(*d.logFormat) + " is not 1 (TPM 1.2 TXT) or 2 (TPM 2.0 TCG)");
  if (d.amdInfoSize != 56 && d.amdInfoSize != 48)
    fail(d, "/amd_info_size", std::to_string(d.amdInfoSize) + " is not 56 (GRUB 2025) or 48 (SKL-A 2024)");
  if (d.cmdline.size() > 4095) fail(d, "/cmdline", "longer than 4095 bytes");
  if (d.cmdline.find('\0') != std::string::npos) fail(d, "/cmdline", "holds a NUL character");
}

}  // namespace dlsim::svm
