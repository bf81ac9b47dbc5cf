/* Benchmark guest: SHA-256 (FIPS 180-4) over SHA_DATA_MIB MiB of data that the
 * guest first generates with an LCG (guest_abi.h says how, so the host can
 * regenerate it and check the digest with Botan). Freestanding 32-bit code:
 * no libc, no libgcc (no 64-bit division anywhere). start.asm calls
 * bench_main and reports the 32-byte digest. */
#include <stdint.h>

#include "guest_abi.h"

#ifndef SHA_DATA_MIB
#error "build with -DSHA_DATA_MIB=<MiB of data to hash>"
#endif

/* FIPS 180-4 section 4.2.2: first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t round_constants[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u,
    0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u,
    0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au,
    0x5b9cca4fu, 0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u};

/* FIPS 180-4 section 5.3.3: initial hash value. */
static const uint32_t initial_hash[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u,
                                         0xa54ff53au, 0x510e527fu, 0x9b05688cu,
                                         0x1f83d9abu, 0x5be0cd19u};

static inline uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32u - n)); }

static inline uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* FIPS 180-4 section 6.2.2: process one 64-byte block. */
static void compress_block(uint32_t state[8], const uint8_t *block) {
  uint32_t w[64];
  for (unsigned t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (unsigned t = 16; t < 64; ++t) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (unsigned t = 0; t < 64; ++t) {
    uint32_t big_sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    uint32_t choose = (e & f) ^ (~e & g);
    uint32_t t1 = h + big_sigma1 + choose + round_constants[t] + w[t];
    uint32_t big_sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = big_sigma0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

/* Hash len bytes (a multiple of 64, as the data here always is) and the
 * FIPS 180-4 section 5.1.1 padding, which then fills exactly one block. */
static void sha256_whole_blocks(const uint8_t *data, uint32_t len, uint8_t digest[32]) {
  uint32_t state[8];
  for (unsigned i = 0; i < 8; ++i) state[i] = initial_hash[i];
  for (uint32_t off = 0; off < len; off += 64) compress_block(state, data + off);

  uint8_t pad[64];
  pad[0] = 0x80;
  for (unsigned i = 1; i < 56; ++i) pad[i] = 0;
  uint64_t bits = (uint64_t)len * 8u;
  store_be32(pad + 56, (uint32_t)(bits >> 32));
  store_be32(pad + 60, (uint32_t)bits);
  compress_block(state, pad);

  for (unsigned i = 0; i < 8; ++i) store_be32(digest + 4 * i, state[i]);
}

uint32_t bench_main(uint8_t *out);

uint32_t bench_main(uint8_t *out) {
  uint32_t *words = (uint32_t *)(uintptr_t)BENCH_SHA_DATA_ADDR;
  const uint32_t word_count = (uint32_t)SHA_DATA_MIB * (1024u * 1024u / 4u);
  uint32_t x = BENCH_LCG_SEED;
  for (uint32_t i = 0; i < word_count; ++i) {
    x = x * BENCH_LCG_MUL + BENCH_LCG_ADD;
    words[i] = x ^ (x >> 15);
  }
  sha256_whole_blocks((const uint8_t *)words, word_count * 4u, out);
  return 32;
}
