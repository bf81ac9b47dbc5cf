// TPM2_GetRandom (Part 3 §16.1) from the engine's seeded deterministic RNG.
#include "tpm_model/command_dispatch.h"

namespace dlsim::tpm {
namespace {

void getRandom(CommandContext& c) {
  uint16_t n = c.param(1, [&] { return c.in.u16(); });
  c.endParams();
  if (n > 64) n = 64;  // clipped to sizeof(TPMU_HA)
  c.out.tpm2b(c.st.rng.next(n));
}

}  // namespace

void addRandomCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x17B, "GetRandom", 0, {}, 0, true, getRandom});
}

}  // namespace dlsim::tpm
