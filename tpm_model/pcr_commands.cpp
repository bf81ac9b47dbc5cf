// TPM2_PCR_Extend, TPM2_PCR_Event, TPM2_PCR_Read and TPM2_PCR_Reset
// (Part 3 §22.2-22.4, §22.8) with the PC Client locality rules.
#include "tpm_model/command_dispatch.h"
#include "tpm_model/pcr_selection.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

// A change of a state-saved PCR ends an orderly shutdown (RETURN_IF_ORDERLY).
void clearOrderlyFor(TpmState& st, unsigned pcr) {
  if (pcrAttributes(pcr).stateSaved) st.orderly = TpmState::Orderly::None;
}

void pcrExtend(CommandContext& c) {
  struct Digest {
    uint16_t alg;
    std::vector<uint8_t> value;
  };
  std::vector<Digest> digests = c.param(1, [&] {
    uint32_t count = c.in.u32();
    if (count > c.st.config.hashAlgs.size()) throw TpmError(rc::kSize);
    std::vector<Digest> v;
    for (uint32_t i = 0; i < count; ++i) {
      uint16_t a = c.hashAlg(false);
      v.push_back({a, c.in.bytes(*hashDigestSize(a))});
    }
    return v;
  });
  c.endParams();
  uint32_t pcr = c.handles[0];
  if (pcr == 0x40000007) return;
  if (!pcrExtendAllowed(pcr, c.locality)) throw TpmError(rc::kLocality);
  clearOrderlyFor(c.st, pcr);
  for (const auto& d : digests) c.st.pcrs.extend(pcr, d.alg, d.value);
}

void pcrEvent(CommandContext& c) {
  auto data = c.param(1, [&] { return c.in.tpm2b(kMaxDigestBuffer); });
  c.endParams();
  uint32_t pcr = c.handles[0];
  bool isNull = pcr == 0x40000007;
  if (!isNull) {
    if (!pcrExtendAllowed(pcr, c.locality)) throw TpmError(rc::kLocality);
    clearOrderlyFor(c.st, pcr);
  }
  c.out.u32(uint32_t(c.st.config.hashAlgs.size()));
  for (uint16_t a : c.st.config.hashAlgs) {
    auto d = digest(a, data.data(), data.size());
    c.out.u16(a);
    c.out.bytes(d);
    if (!isNull) c.st.pcrs.extend(pcr, a, d);
  }
}

void pcrRead(CommandContext& c) {
  auto sel = c.param(1, [&] { return readPcrSelection(c); });
  c.endParams();
  std::vector<std::vector<uint8_t>> values;
  constexpr size_t kMaxDigests = 8;
  bool full = false;
  for (auto& s : sel) {
    auto* bankPresent = c.st.pcrs.value(s.alg, 0);
    for (unsigned pcr = 0; pcr < s.select.size() * 8; ++pcr) {
      uint8_t& byte = s.select[pcr / 8];
      uint8_t bit = uint8_t(1u << (pcr % 8));
      if (!(byte & bit)) continue;
      if (!bankPresent || pcr >= kPcrCount || full) {
        byte &= uint8_t(~bit);
        continue;
      }
      if (values.size() == kMaxDigests) {
        full = true;
        byte &= uint8_t(~bit);
        continue;
      }
      values.push_back(*c.st.pcrs.value(s.alg, pcr));
    }
  }
  c.out.u32(c.st.pcrs.updateCounter);
  writePcrSelection(c.out, sel);
  c.out.u32(uint32_t(values.size()));
  for (const auto& v : values) c.out.tpm2b(v);
}

void pcrReset(CommandContext& c) {
  c.endParams();
  uint32_t pcr = c.handles[0];
  if (!pcrResetAllowed(pcr, c.locality)) throw TpmError(rc::kLocality);
  clearOrderlyFor(c.st, pcr);
  c.st.pcrs.fill(pcr, 0);
  c.st.pcrs.changed(pcr);
}

}  // namespace

void addPcrCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x182, "PCR_Extend", 1, {HandleKind::PcrOrNull}, 0x1, true, pcrExtend});
  t.push_back({0x13C, "PCR_Event", 1, {HandleKind::PcrOrNull}, 0x1, true, pcrEvent});
  t.push_back({0x17E, "PCR_Read", 0, {}, 0, true, pcrRead});
  t.push_back({0x13D, "PCR_Reset", 1, {HandleKind::Pcr}, 0x1, true, pcrReset});
}

}  // namespace dlsim::tpm
