// TPML_PCR_SELECTION wire handling (see pcr_selection.h).
#include "tpm_model/pcr_selection.h"

namespace dlsim::tpm {

std::vector<PcrSelection> readPcrSelection(CommandContext& c) {
  uint32_t count = c.in.u32();
  if (count > c.st.config.hashAlgs.size()) throw TpmError(rc::kSize);
  std::vector<PcrSelection> sel;
  for (uint32_t i = 0; i < count; ++i) {
    PcrSelection s;
    s.alg = c.hashAlg(false);
    uint8_t n = c.in.u8();
    if (n < kPcrSelectMin || n > kPcrSelectMax) throw TpmError(rc::kValue);
    s.select = c.in.bytes(n);
    sel.push_back(std::move(s));
  }
  return sel;
}

void writePcrSelection(WireWriter& w, const std::vector<PcrSelection>& sel) {
  w.u32(uint32_t(sel.size()));
  for (const auto& s : sel) {
    w.u16(s.alg);
    w.u8(uint8_t(s.select.size()));
    w.bytes(s.select);
  }
}

}  // namespace dlsim::tpm
