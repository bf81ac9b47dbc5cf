// Host-side reference results for the benchmark guests (see the header).
#include "bench/reference_results.h"

#include <botan/hash.h>

#include <array>
#include <bit>

#include "bench/guests/guest_abi.h"
#include "sim/errors.h"

namespace dlsim {

std::vector<uint8_t> shaGuestData(uint32_t mib) {
  const size_t words = size_t{mib} * (1u << 20) / 4;
  std::vector<uint8_t> data(words * 4);
  uint32_t x = BENCH_LCG_SEED;
  for (size_t i = 0; i < words; ++i) {
    x = x * BENCH_LCG_MUL + BENCH_LCG_ADD;
    const uint32_t w = x ^ (x >> 15);
    for (size_t b = 0; b < 4; ++b) data[i * 4 + b] = static_cast<uint8_t>(w >> (8 * b));
  }
  return data;
}

std::vector<uint8_t> shaGuestExpectedDigest(uint32_t mib) {
  const std::vector<uint8_t> data = shaGuestData(mib);
  auto sha = Botan::HashFunction::create("SHA-256");
  if (!sha) throw InternalError("Botan has no SHA-256");
  sha->update(data.data(), data.size());
  const Botan::secure_vector<uint8_t> digest = sha->final();
  return std::vector<uint8_t>(digest.begin(), digest.end());
}

// Mirrors loop.asm instruction by instruction (register names kept).
std::vector<uint8_t> loopGuestExpectedResult(uint32_t iterations) {
  constexpr uint32_t kTableWords = 4096, kMask = kTableWords - 1;
  std::array<uint32_t, kTableWords> table{};
  for (uint32_t i = 0; i < kTableWords; ++i) table[i] = i * 0x9E3779B9u;
  uint32_t eax = 0x6A09E667u, ebx = 0xBB67AE85u, ecx = 0, edx = 0, ebp = 0;
  uint32_t counter = 0;
  for (uint32_t esi = iterations; esi != 0; --esi) {
    ebp = esi & kMask;
    ecx = table[ebp];
    eax += ecx;
    eax = std::rotl(eax, 7);
    ebx ^= eax;
    edx = ebx + ecx * 2 + 0x1234u;
    table[ebp] = edx;
    ebp = eax & kMask;
    ecx = table[ebp];
    ecx *= 0x01000193u;
    ecx ^= esi;
    ebx -= ecx;
    ebx = std::rotr(ebx, 3);
    table[ebp] = ebx;
    edx = ebx >> 11;
    eax ^= edx;
    ebp = ebx & kMask;
    table[ebp] += eax;
    ecx = table[ebp];
    ecx = (ecx << 2) | 1u;
    eax += ecx;
    edx = eax & 0x00FF00FFu;
    ebx ^= edx;
    ++counter;
  }
  uint32_t fold = 0;
  for (uint32_t w : table) fold ^= w;
  std::vector<uint8_t> out;
  for (uint32_t v : {eax, ebx, counter, fold})
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(v >> (8 * b)));
  return out;
}

std::vector<uint8_t> rdtscGuestExpectedResult(uint32_t iterations) {
  std::vector<uint8_t> out;
  for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(iterations >> (8 * b)));
  return out;
}

}  // namespace dlsim
