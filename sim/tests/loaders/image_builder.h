// Test helpers: assemble ELF / multiboot / bzImage bytes by hand, write them
// to temp files, and read guest memory back. Deliberately independent of the
// loaders' own byte helpers so the tests check them rather than echo them.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "sim/errors.h"
#include "sim/guest_memory.h"

namespace dlsim::testimg {

using Bytes = std::vector<uint8_t>;

inline void le(Bytes& b, size_t off, uint64_t v, int n) {
  if (b.size() < off + n) b.resize(off + n, 0);
  for (int i = 0; i < n; ++i) b[off + i] = uint8_t(v >> (8 * i));
}
inline void put16(Bytes& b, size_t off, uint16_t v) { le(b, off, v, 2); }
inline void put32(Bytes& b, size_t off, uint32_t v) { le(b, off, v, 4); }
inline void put64(Bytes& b, size_t off, uint64_t v) { le(b, off, v, 8); }
inline void putStr(Bytes& b, size_t off, const std::string& s) {
  if (b.size() < off + s.size()) b.resize(off + s.size(), 0);
  for (size_t i = 0; i < s.size(); ++i) b[off + i] = uint8_t(s[i]);
}

// A pattern that differs at every offset of interest: byte i = (i * 7 + seed).
inline Bytes pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(i * 7 + seed);
  return b;
}

// Writes bytes to a per-test temp file and returns its path.
inline std::string writeTemp(const std::string& tag, const Bytes& b) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string path = ::testing::TempDir() + "dlsim_ld_" + info->test_suite_name() + "_" + info->name() + "_" + tag;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
  return path;
}

struct Seg {
  uint64_t paddr = 0;
  Bytes data;
  uint64_t memsz = 0;  // 0: same as data.size()
  uint32_t type = 1;   // PT_LOAD
  uint64_t vaddr = 0;  // 0: same as paddr
};

// ELF header, program headers right after it, then each segment's data at a
// 16-byte aligned offset. `prefix` bytes (e.g. a multiboot header) go into
// the first segment's data by the caller.
inline Bytes buildElf(bool is64, uint16_t machine, uint16_t type, uint64_t entry, const std::vector<Seg>& segs) {
  Bytes b;
  const size_t ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
  putStr(b, 0, "\x7f" "ELF");
  b.resize(ehsize, 0);
  b[4] = is64 ? 2 : 1;
  b[5] = 1;
  b[6] = 1;
  put16(b, 16, type);
  put16(b, 18, machine);
  put32(b, 20, 1);
  size_t dataOff = (ehsize + phentsize * segs.size() + 15) / 16 * 16;
  if (is64) {
    put64(b, 24, entry);
    put64(b, 32, ehsize);
    put16(b, 52, uint16_t(ehsize));
    put16(b, 54, uint16_t(phentsize));
    put16(b, 56, uint16_t(segs.size()));
  } else {
    put32(b, 24, uint32_t(entry));
    put32(b, 28, uint32_t(ehsize));
    put16(b, 40, uint16_t(ehsize));
    put16(b, 42, uint16_t(phentsize));
    put16(b, 44, uint16_t(segs.size()));
  }
  for (size_t i = 0; i < segs.size(); ++i) {
    const Seg& s = segs[i];
    size_t ph = ehsize + i * phentsize;
    uint64_t memsz = s.memsz ? s.memsz : s.data.size();
    uint64_t vaddr = s.vaddr ? s.vaddr : s.paddr;
    if (is64) {
      put32(b, ph, s.type);
      put32(b, ph + 4, 7);
      put64(b, ph + 8, dataOff);
      put64(b, ph + 16, vaddr);
      put64(b, ph + 24, s.paddr);
      put64(b, ph + 32, s.data.size());
      put64(b, ph + 40, memsz);
      put64(b, ph + 48, 16);
    } else {
      put32(b, ph, s.type);
      put32(b, ph + 4, uint32_t(dataOff));
      put32(b, ph + 8, uint32_t(vaddr));
      put32(b, ph + 12, uint32_t(s.paddr));
      put32(b, ph + 16, uint32_t(s.data.size()));
      put32(b, ph + 20, uint32_t(memsz));
      put32(b, ph + 24, 7);
      put32(b, ph + 28, 16);
    }
    b.resize(dataOff, 0);
    b.insert(b.end(), s.data.begin(), s.data.end());
    dataOff = (b.size() + 15) / 16 * 16;
  }
  return b;
}

inline Bytes readMem(const GuestMemory& mem, uint64_t gpa, size_t n) {
  Bytes b(n);
  EXPECT_TRUE(mem.read(gpa, b.data(), n)) << "read " << n << " bytes at " << std::hex << gpa;
  return b;
}
inline uint32_t rd32(const GuestMemory& mem, uint64_t gpa) {
  Bytes b = readMem(mem, gpa, 4);
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}
inline uint16_t rd16(const GuestMemory& mem, uint64_t gpa) {
  Bytes b = readMem(mem, gpa, 2);
  return uint16_t(b[0] | b[1] << 8);
}
inline uint64_t rd64(const GuestMemory& mem, uint64_t gpa) { return rd32(mem, gpa) | uint64_t(rd32(mem, gpa + 4)) << 32; }
inline std::string rdStr(const GuestMemory& mem, uint64_t gpa) {
  std::string s;
  for (int i = 0; i < 4096; ++i) {
    uint8_t c = 0;
    if (!mem.read(gpa + i, &c, 1) || c == 0) break;
    s.push_back(char(c));
  }
  return s;
}

// Runs f, expects an InputError whose message contains every needle.
template <typename F>
void expectInputError(F&& f, const std::vector<std::string>& needles) {
  try {
    f();
    ADD_FAILURE() << "no InputError thrown";
  } catch (const InputError& e) {
    std::string m = e.what();
    for (const auto& n : needles) EXPECT_NE(m.find(n), std::string::npos) << "message lacks '" << n << "': " << m;
  }
}

}  // namespace dlsim::testimg
