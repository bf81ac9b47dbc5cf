// Interrupt Command Register: decoding an ICR write into IPIs and handing
// them to the IpiSink (SDM 10.6.1 / 10.12.9). Delivery is immediate, so the
// delivery-status bit always reads idle. Targets are visited in ascending
// CPU order so delivery order is deterministic.
#include "cpu_model/lapic.h"

namespace dlsim {

namespace {
enum : uint32_t { kFixed = 0, kLowest = 1, kSmi = 2, kNmi = 4, kInit = 5, kStartup = 6 };
enum : uint32_t { kNoShorthand = 0, kSelf = 1, kAllIncludingSelf = 2, kAllExcludingSelf = 3 };
}  // namespace

bool LocalApics::matchesLogical(const Cpu& t, uint32_t dest, bool x2) const {
  if (x2) {
    if (dest == 0xFFFFFFFF) return true;
    uint32_t ldr = logicalId(t);
    return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xFFFF) != 0;
  }
  if (dest == 0xFF) return true;
  uint32_t ldr = t.ldr >> 24;
  if ((t.dfr >> 28) == 0xF) return (ldr & dest) != 0;                      // flat model
  return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0xF) != 0;              // cluster model
}

std::vector<int> LocalApics::resolveDestination(int from, uint32_t shorthand, uint32_t dest, bool logical,
                                                bool x2) const {
  std::vector<int> out;
  for (int i = 0; i < cpuCount(); ++i) {
    const Cpu& t = cpus_[static_cast<size_t>(i)];
    if (!(t.apicBase & kBaseEnable)) continue;  // a disabled APIC receives nothing
    bool hit = false;
    switch (shorthand) {
      case kSelf: hit = i == from; break;
      case kAllIncludingSelf: hit = true; break;
      case kAllExcludingSelf: hit = i != from; break;
      default:
        if (logical) {
          hit = matchesLogical(t, dest, x2);
        } else if (x2) {
          hit = dest == 0xFFFFFFFF || dest == ((t.apicBase & kBaseExtd) ? t.x2apicId : t.idReg >> 24);
        } else {
          hit = dest == 0xFF || dest == ((t.apicBase & kBaseExtd) ? (t.x2apicId & 0xFF) : t.idReg >> 24);
        }
    }
    if (hit) out.push_back(i);
  }
  return out;
}

void LocalApics::sendIpi(int from, uint32_t low, uint32_t dest, bool x2) {
  const uint32_t vector = low & 0xFF;
  const uint32_t mode = (low >> 8) & 7;
  const bool logical = (low >> 11) & 1;
  const bool level = (low >> 14) & 1;
  const bool levelTrigger = (low >> 15) & 1;
  const uint32_t shorthand = (low >> 18) & 3;

  if (mode == kInit && !level && levelTrigger) {
    ++counters_.initDeassertsIgnored;  // INIT level de-assert: no effect since the Pentium 4
    return;
  }
  if (mode == 3 || mode == 7 ||
      ((shorthand == kSelf || shorthand == kAllIncludingSelf) && mode != kFixed)) {
    ++counters_.invalidIcrWrites;
    return;
  }
  if ((mode == kFixed || mode == kLowest) && vector < 16) {
    at(from).esrPending |= kEsrSendIllegalVector;
    ++counters_.invalidIcrWrites;
    return;
  }
  if (mode == kSmi) {
    ++counters_.smiIpisIgnored;
    return;
  }
  std::vector<int> targets = resolveDestination(from, shorthand, dest, logical, x2);
  if (mode == kLowest && targets.size() > 1) targets.resize(1);
  for (int t : targets) {
    ++counters_.ipisSent;
    switch (mode) {
      case kFixed:
      case kLowest: sink_.deliverFixed(t, static_cast<uint8_t>(vector)); break;
      case kNmi: sink_.deliverNmi(t); break;
      case kInit:
        if (sink_.deliverInit(t)) initReset(t);
        break;
      case kStartup: sink_.deliverSipi(t, static_cast<uint8_t>(vector)); break;
      default: break;
    }
  }
}

}  // namespace dlsim
