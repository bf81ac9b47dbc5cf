#include "txt_model/mle/mle_hash.h"

#include <botan/hash.h>

#include <algorithm>

#include "sim/host_probe.h"

namespace dlsim::txt::mle {

const char* botanHashName(uint16_t tpmAlg) {
  switch (tpmAlg) {
    case 0x0004: return "SHA-1";
    case 0x000B: return "SHA-256";
    case 0x000C: return "SHA-384";
    case 0x000D: return "SHA-512";
    case 0x0012: return "SM3";
    default: return nullptr;
  }
}

std::optional<std::vector<uint8_t>> mleDigest(const PhysReader& mem, const MleWalk& walk, uint16_t tpmAlg) {
  const char* name = botanHashName(tpmAlg);
  if (!walk.ok() || !name) return std::nullopt;
  HostProbeScope probe("hash", "sinit-mle");
  auto h = Botan::HashFunction::create(name);
  if (!h) return std::nullopt;
  std::vector<uint8_t> chunk(64 * 1024);
  for (const auto& r : walk.ranges) {
    for (uint64_t done = 0; done < r.size;) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), r.size - done));
      if (!mem.read(r.base + done, std::span(chunk.data(), n))) return std::nullopt;
      h->update(chunk.data(), n);
      done += n;
    }
  }
  auto d = h->final();
  return std::vector<uint8_t>(d.begin(), d.end());
}

}  // namespace dlsim::txt::mle
