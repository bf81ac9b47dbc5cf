// TPM2_GetCapability (Part 3 §30.2): algorithms, handles, commands, PCR
// allocation and TPM properties of dlsim's engine.
#include <utility>

#include "tpm_model/command_dispatch.h"
#include "tpm_model/pcr_selection.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

enum : uint32_t {
  kCapAlgs = 0,
  kCapHandles = 1,
  kCapCommands = 2,
  kCapPpCommands = 3,
  kCapAuditCommands = 4,
  kCapPcrs = 5,
  kCapTpmProperties = 6,
  kCapPcrProperties = 7,
  kCapEccCurves = 8,
  kCapAuthPolicies = 9,
  kCapAct = 10,
  kCapVendor = 0x100,
};

// MAX_CAP_DATA = MAX_CAP_BUFFER (1024) - capability (4) - count (4).
constexpr uint32_t kMaxCapData = 1016;

// Items with key >= start, at most `count` (clipped to `cap`); sets moreData.
template <class T>
std::vector<T> window(const std::vector<T>& all, uint32_t start, uint32_t count, uint32_t cap,
                      bool& more) {
  if (count > cap) count = cap;
  std::vector<T> out;
  more = false;
  for (const auto& item : all) {
    if (item.first < start) continue;
    if (out.size() == count) {
      more = true;
      break;
    }
    out.push_back(item);
  }
  return out;
}

uint32_t commandAttributes(const CommandSpec& s) {
  uint32_t a = s.cc & 0xFFFF;
  if (s.cc == 0x12A || s.cc == 0x137 || s.cc == 0x122) a |= 1u << 22;  // nv
  if (s.cc == 0x13E || s.cc == 0x185 || s.cc == 0x165) a |= 1u << 24;  // flushed
  a |= uint32_t(s.handleCount) << 25;                                  // cHandles
  if (s.cc == 0x186 || s.cc == 0x131 || s.cc == 0x157 || s.cc == 0x161) a |= 1u << 28;  // rHandle
  return a;
}

std::vector<std::pair<uint32_t, uint32_t>> tpmProperties(const TpmState& st) {
  const auto& cfg = st.config;
  uint32_t maxDigest = 0;
  for (uint16_t a : cfg.hashAlgs) maxDigest = std::max<uint32_t>(maxDigest, uint32_t(*hashDigestSize(a)));
  uint32_t transientAvail = kMaxLoadedObjects - uint32_t(loadedCount(st));
  uint32_t startupClear = 0x0000000F;  // phEnable, shEnable, ehEnable, phEnableNV
  if (st.orderly != TpmState::Orderly::None) startupClear |= 1u << 31;
  return {
      {0x100, 0x322E3000},  // TPM_PT_FAMILY_INDICATOR "2.0"
      {0x101, 0},           // LEVEL
      {0x102, 164},         // REVISION 1.64
      {0x103, 1},           // DAY_OF_YEAR
      {0x104, 2024},        // YEAR
      {0x105, cfg.manufacturer},
      {0x106, cfg.vendorString[0]},
      {0x107, cfg.vendorString[1]},
      {0x108, cfg.vendorString[2]},
      {0x109, cfg.vendorString[3]},
      {0x10A, 1},  // VENDOR_TPM_TYPE
      {0x10B, cfg.firmwareVersion1},
      {0x10C, cfg.firmwareVersion2},
      {0x10D, uint32_t(kMaxDigestBuffer)},  // INPUT_BUFFER
      {0x10E, kMaxLoadedObjects},           // HR_TRANSIENT_MIN
      {0x10F, 0},                           // HR_PERSISTENT_MIN
      {0x110, 0},                           // HR_LOADED_MIN (sessions)
      {0x111, 0},                           // ACTIVE_SESSIONS_MAX
      {0x112, kPcrCount},                   // PCR_COUNT
      {0x113, kPcrSelectMin},               // PCR_SELECT_MIN
      {0x114, 0},                           // CONTEXT_GAP_MAX
      {0x116, 0},                           // NV_COUNTERS_MAX
      {0x117, uint32_t(kMaxNvIndexSize)},   // NV_INDEX_MAX
      {0x118, 0},                           // MEMORY
      {0x11E, kMaxCommandSize},             // MAX_COMMAND_SIZE
      {0x11F, kMaxCommandSize},             // MAX_RESPONSE_SIZE
      {0x120, maxDigest},                   // MAX_DIGEST
      {0x123, 1},                           // PS_FAMILY_INDICATOR: PC Client
      {0x129, uint32_t(commandTable().size())},  // TOTAL_COMMANDS
      {0x12A, uint32_t(commandTable().size())},  // LIBRARY_COMMANDS
      {0x12B, 0},                                // VENDOR_COMMANDS
      {0x12C, uint32_t(kMaxNvBuffer)},           // NV_BUFFER_MAX
      {0x200, 0},                                // PERMANENT
      {0x201, startupClear},                     // STARTUP_CLEAR
      {0x202, uint32_t(st.nv.size())},           // HR_NV_INDEX
      {0x203, 0},                                // HR_LOADED
      {0x204, 0},                                // HR_LOADED_AVAIL
      {0x205, 0},                                // HR_ACTIVE
      {0x206, 0},                                // HR_ACTIVE_AVAIL
      {0x207, transientAvail},                   // HR_TRANSIENT_AVAIL
      {0x208, 0},                                // HR_PERSISTENT
      {0x209, 0},                                // HR_PERSISTENT_AVAIL
      {0x20A, 0},                                // NV_COUNTERS
      {0x20B, 0},                                // NV_COUNTERS_AVAIL
  };
}

std::vector<std::pair<uint32_t, uint32_t>> handleList(const TpmState& st, uint32_t start) {
  std::vector<std::pair<uint32_t, uint32_t>> h;
  switch (start >> 24) {
    case 0x00:  // PCR
      for (uint32_t i = 0; i < kPcrCount; ++i) h.push_back({i, i});
      break;
    case 0x01:  // NV index
      for (const auto& [idx, _] : st.nv) h.push_back({idx, idx});
      break;
    case 0x40:  // permanent
      for (uint32_t x : {0x40000001u, 0x40000007u, 0x40000009u, 0x4000000Au, 0x4000000Bu, 0x4000000Cu,
                         0x4000000Du})
        h.push_back({x, x});
      break;
    case 0x80:  // transient
      for (uint32_t idx = kTransientFirst; idx < kTransientFirst + kMaxLoadedObjects; ++idx)
        if (st.objects.count(idx) || st.keys.count(idx)) h.push_back({idx, idx});
      break;
    case 0x02:  // loaded sessions: none
    case 0x03:  // saved sessions: none
    case 0x81:  // persistent: none
      break;
    default:
      throw TpmError(rcParam(rc::kHandle, 2));
  }
  return h;
}

void getCapability(CommandContext& c) {
  uint32_t cap = c.param(1, [&] {
    uint32_t v = c.in.u32();
    if (v > kCapAct && v != kCapVendor) throw TpmError(rc::kValue);
    return v;
  });
  uint32_t property = c.param(2, [&] { return c.in.u32(); });
  uint32_t count = c.param(3, [&] { return c.in.u32(); });
  c.endParams();
  WireWriter body;
  bool more = false;
  switch (cap) {
    case kCapAlgs: {
      std::vector<std::pair<uint32_t, uint32_t>> algs;
      for (uint16_t a : c.st.config.hashAlgs) algs.push_back({a, 0x4});  // TPMA_ALGORITHM hash
      auto w = window(algs, property, count, kMaxCapData / 6, more);
      body.u32(uint32_t(w.size()));
      for (auto& [a, attr] : w) {
        body.u16(uint16_t(a));
        body.u32(attr);
      }
      break;
    }
    case kCapHandles: {
      auto w = window(handleList(c.st, property), property, count, kMaxCapData / 4, more);
      body.u32(uint32_t(w.size()));
      for (auto& item : w) body.u32(item.first);
      break;
    }
    case kCapCommands: {
      std::vector<std::pair<uint32_t, uint32_t>> ccs;
      for (const auto& s : commandTable()) ccs.push_back({s.cc, commandAttributes(s)});
      auto w = window(ccs, property, count, kMaxCapData / 4, more);
      body.u32(uint32_t(w.size()));
      for (auto& item : w) body.u32(item.second);
      break;
    }
    case kCapPpCommands:
    case kCapAuditCommands:
      body.u32(0);  // no command needs physical presence or is audited
      break;
    case kCapPcrs: {
      if (property != 0) throw TpmError(rcParam(rc::kValue, 2));
      std::vector<PcrSelection> sel;
      for (uint16_t a : c.st.config.hashAlgs) {
        PcrSelection s{a, std::vector<uint8_t>(kPcrSelectMax, 0)};
        if (c.st.pcrs.allocated(a)) std::fill(s.select.begin(), s.select.end(), 0xFF);
        sel.push_back(std::move(s));
      }
      // Like the reference implementation: propertyCount 0 gives an empty
      // list with moreData; any other count gives the whole allocation.
      if (count == 0) {
        more = true;
        sel.clear();
      }
      writePcrSelection(body, sel);
      break;
    }
    case kCapTpmProperties: {
      auto w = window(tpmProperties(c.st), property, count, kMaxCapData / 8, more);
      body.u32(uint32_t(w.size()));
      for (auto& [p, v] : w) {
        body.u32(p);
        body.u32(v);
      }
      break;
    }
    default:
      // PCR properties, ECC curves, auth policies, ACT and vendor properties
      // are not modeled.
      throw TpmError(rcParam(rc::kValue, 1));
  }
  c.out.u8(more ? 1 : 0);
  c.out.u32(cap);
  c.out.bytes(body.data());
}

}  // namespace

void addCapabilityCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x17A, "GetCapability", 0, {}, 0, true, getCapability});
}

}  // namespace dlsim::tpm
