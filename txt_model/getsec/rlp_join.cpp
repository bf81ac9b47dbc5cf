#include "txt_model/getsec/rlp_join.h"

#include "sim/hex.h"

namespace dlsim::txt {

namespace {
uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}
}  // namespace

MleJoin MleJoin::parse(const uint8_t (&b)[kSize]) { return MleJoin{le32(b), le32(b + 4), le32(b + 8), le32(b + 12)}; }

std::optional<std::string> MleJoin::formatError() const {
  // SDM vol. 2D GETSEC[WAKEUP], RLP_SIPI_WAKEUP_FROM_SENTER_ROUTINE.
  if (gdtLimit & 0xFFFF0000u) return "GDT limit " + hex(gdtLimit) + " above 0xFFFF";
  if (selector < 8 || static_cast<uint64_t>(selector) + 15 > gdtLimit)
    return "selector " + hex(selector) + " outside 8..GDT limit - 15 (limit " + hex(gdtLimit) + ")";
  if (selector & 7) return "selector " + hex(selector) + " has TI or RPL set";
  return std::nullopt;
}

ArchState MleJoin::entryState() const {
  ArchState a;
  a.cr0 = 0x21;  // PE | NE; PG, CD, NW, AM, WP clear
  a.cr4 = 0x4000;
  a.rflags = 2;
  a.efer = 0;
  a.dr7 = 0x400;
  a.gdtr = {gdtBase, static_cast<uint16_t>(gdtLimit)};
  a.cs = SegmentState::flatCode32(static_cast<uint16_t>(selector));
  a.ds = a.ss = a.es = SegmentState::flatData32(static_cast<uint16_t>(selector + 8));
  a.rip = eip;
  return a;
}

}  // namespace dlsim::txt
