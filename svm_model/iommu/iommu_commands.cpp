// The IOMMU's command processor and event log.
#include <cstring>

#include "svm_model/iommu/amd_iommu.h"
#include "svm_model/iommu/iommu_registers.h"

namespace dlsim::svm {

using namespace iommu;

void AmdIommu::processCommands() {
  const uint64_t ring = ringBytes(cmdBuf_);
  const uint64_t base = cmdBuf_ & kAddressMask;
  // At most one pass over the ring: a tail software placed past the ring's
  // end is never reached, and processing must still stop.
  for (uint64_t n = 0; n < ring / 16; ++n) {
    if (!(control_ & kCtlIommuEn) || !(control_ & kCtlCmdBufEn) || cmdStopped_) return;
    if (cmdHead_ % ring == cmdTail_ % ring) return;
    const uint64_t address = base + cmdHead_ % ring;
    uint32_t cmd[4] = {};
    if (port_.read(config_.requesterId, address, cmd, sizeof cmd) != DmaResult::kDone) {
      cmdStopped_ = true;
      raiseEvent(kEvCommandHardwareError, config_.requesterId, 0, address);
      return;
    }
    if (!runCommand(cmd, address)) {
      cmdStopped_ = true;
      return;
    }
    cmdHead_ = (cmdHead_ % ring + 16) % ring;
  }
}

bool AmdIommu::runCommand(const uint32_t (&cmd)[4], uint64_t address) {
  const uint8_t opcode = static_cast<uint8_t>(cmd[1] >> 28);
  auto illegal = [&] {
    raiseEvent(kEvIllegalCommand, config_.requesterId, 0, address);
    return false;
  };
  switch (opcode) {
    case kCmdCompletionWait: {
      if (cmd[0] & kCompletionStore) {
        const uint64_t store = static_cast<uint64_t>(cmd[1] & 0xFFFFF) << 32 | (cmd[0] & 0xFFFFFFF8u);
        const uint64_t data = static_cast<uint64_t>(cmd[3]) << 32 | cmd[2];
        // A store the DMA protections refuse cannot complete: reported as a
        // hardware error at the store address (the spec's exact report for
        // this case was not read: an assumption of the model).
        if (port_.write(config_.requesterId, store, &data, sizeof data) != DmaResult::kDone) {
          raiseEvent(kEvCommandHardwareError, config_.requesterId, 0, store);
          return false;
        }
      }
      if (cmd[0] & kCompletionInterrupt) status_ |= kStComWaitInt;
      return true;
    }
    case kCmdInvalidateDevTabEntry:
      dteCache_.erase(static_cast<uint16_t>(cmd[0] & 0xFFFF));
      return true;
    case kCmdInvalidateIommuPages:
    case kCmdInvalidateIotlbPages:
    case kCmdInvalidateInterruptTable:
      return true;  // no page or interrupt translation is cached
    case kCmdPrefetchIommuPages:
      return (config_.extendedFeatures & kEfrPrefSup) ? true : illegal();
    case kCmdCompletePprRequest:
      return (config_.extendedFeatures & kEfrPprSup) ? true : illegal();
    case kCmdInvalidateIommuAll:
      if (!(config_.extendedFeatures & kEfrIaSup)) return illegal();
      dteCache_.clear();
      return true;
    default:
      return illegal();
  }
}

void AmdIommu::raiseEvent(uint8_t code, uint16_t deviceId, uint16_t flags, uint64_t address) {
  IommuEvent e{code, deviceId, flags, address, false};
  if (control_ & kCtlEventLogEn) {
    status_ |= kStEventLogInt;
    const uint64_t ring = ringBytes(eventLog_);
    const uint64_t tail = evtTail_ % ring;
    if ((tail + 16) % ring == evtHead_ % ring) {
      status_ |= kStEventOverflow;
    } else {
      const uint32_t codeAndFlags = static_cast<uint32_t>(code) << 28 | static_cast<uint32_t>(flags & 0xFFF) << 16;
      const uint32_t entry[4] = {deviceId, codeAndFlags, static_cast<uint32_t>(address),
                                 static_cast<uint32_t>(address >> 32)};
      const uint64_t at = (eventLog_ & kAddressMask) + tail;
      if (port_.write(config_.requesterId, at, entry, sizeof entry) == DmaResult::kDone) {
        evtTail_ = (tail + 16) % ring;
        e.logged = true;
      }
    }
  }
  ++eventCount_;
  if (events_.size() < kEventLimit) events_.push_back(e);
}

}  // namespace dlsim::svm
