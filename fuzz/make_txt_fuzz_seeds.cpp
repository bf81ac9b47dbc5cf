// Writes the seed corpora of the TXT targets from the txt_model builders
// (no binary files are checked in): heaps as tboot, Linux Secure Launch and
// SINIT write them, and MLE page tables laid out as tboot and GRUB build
// them with a tboot-style MLE header.
// Usage: make_txt_fuzz_seeds OUT_DIR -> OUT_DIR/<target>/seed-NNN.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_inputs.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_validate.h"
#include "txt_model/mle/mle_header.h"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;
using namespace dlsim::txt;

void writeCorpus(const fs::path& dir, const std::vector<Bytes>& seeds) {
  fs::create_directories(dir);
  for (size_t i = 0; i < seeds.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "seed-%03zu", i);
    std::ofstream f(dir / name, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(seeds[i].data()), std::streamsize(seeds[i].size()));
    if (!f) throw std::runtime_error("cannot write " + (dir / name).string());
  }
}

Bytes withFlags(uint8_t flags, const Bytes& b) {
  Bytes out{flags};
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<Bytes> heapSeeds() {
  using namespace heap;
  namespace heapflags = dlsim::fuzz::heapflags;
  BiosData bios;
  bios.version = 6;
  bios.numLogicalProcs = 4;
  bios.elements = {makeBiosSpecVer({2, 1, 0}), makeAcm({{0xFFF00000}})};
  OsSinitData tcg;
  tcg.version = 7;
  tcg.flags = 1;
  tcg.mlePageTableBase = 0x803000;
  tcg.mleSize = 0x49000;
  tcg.mleHeaderBase = 0x1B340;
  tcg.pmrLowSize = 0x40000000;
  tcg.capabilities = caps::kRlpWakeMonitor | caps::kTcgEventLog;
  tcg.elements = {makeEventLogPointer2_1({0x7F001000, 0x2000, 0, 0})};
  OsSinitData legacy = tcg;
  legacy.capabilities = caps::kRlpWakeGetsec;
  legacy.elements = {makeEventLogPointer2({{{0x000B, 0, 0x7F001000, 0x1000, 0, 0}, {0x0004, 0, 0x7F002000, 0x1000, 0, 0}}})};
  OsSinitData tpm12 = tcg;
  tpm12.version = 6;
  tpm12.elements = {makeTpmEventLogPtr(0x7F001000)};
  OsSinitData v4 = tcg;
  v4.version = 4;
  Bytes linuxOsMle(96, 0);
  linuxOsMle[0] = 1;
  Bytes tbootOsMle(300, 0);
  tbootOsMle[0] = 3;
  SinitMleData s;
  s.version = 9;
  s.rlpWakeupAddr = 0x9B000;
  s.mdrs = {{0, 0x9F000, 0}, {0xFED20000, 0x10000, 4}};
  s.dmar = Bytes(0x30, 0x44);
  SinitMleData s8 = s;
  s8.version = 8;
  s8.elements.clear();
  BiosData bios2;
  bios2.version = 2;
  bios2.numLogicalProcs = 1;
  return {
      withFlags(0, buildTxtHeap(bios, linuxOsMle, tcg)),
      withFlags(heapflags::kGetsecOnly, buildTxtHeap(bios, tbootOsMle, legacy)),
      withFlags(heapflags::kTpm12, buildTxtHeap(bios, tbootOsMle, tpm12)),
      withFlags(heapflags::kAfterLaunch, buildTxtHeap(bios, linuxOsMle, tcg, s)),
      withFlags(heapflags::kAfterLaunch, buildTxtHeap(bios, linuxOsMle, tcg, s8)),
      withFlags(0, buildTxtHeap(bios2, {}, v4)),
  };
}

// tboot's layout: PDPT, PD, PT in three pages, then the MLE pages, in a
// zeroed memory written by store records.
Bytes mleSeed(uint32_t mleSize, uint32_t headerBase, bool grub) {
  namespace in = dlsim::fuzz::mleinput;
  Bytes b{0};
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
  };
  const uint32_t pdpt = 0, pd = 0x1000, pt = 0x2000, mle = grub ? 0x5000 : 0x3000;
  u32(pdpt);
  u32(mleSize);
  u32(headerBase);
  in::encodeStore(b, pdpt, (in::kMemoryBase + pd) | 1);
  in::encodeStore(b, pd, (in::kMemoryBase + pt) | 1);
  for (uint32_t off = 0, i = 0; off < mleSize; off += 0x1000, ++i)
    in::encodeStore(b, pt + 8 * i, (in::kMemoryBase + mle + off) | 1);
  mle::MleHeader h;
  h.uuid = mle::kMleHeaderUuid;
  h.length = 0x34;
  h.version = 0x20001;
  h.entryPoint = 0x10;
  h.mleStartOffset = 0x4000;
  h.mleEndOffset = 0x4000 + mleSize;
  h.capabilities = 0x627;
  Bytes hb = mle::encodeMleHeader(h);
  hb.resize(0x38, 0);
  for (size_t i = 0; i < hb.size(); i += 8) {
    uint64_t v = 0;
    for (int k = 7; k >= 0; --k) v = (v << 8) | hb[i + k];
    in::encodeStore(b, mle + headerBase + uint32_t(i), v);
  }
  return b;
}

std::vector<Bytes> mleSeeds() {
  namespace in = dlsim::fuzz::mleinput;
  mle::MleHeader h;
  h.uuid = mle::kMleHeaderUuid;
  h.length = 0x34;
  h.version = 0x20003;
  h.mleEndOffset = 0x9000;
  h.capabilities = 0x227;
  return {mleSeed(0x4000, 0x100, false), mleSeed(0x3A10, 0x800, true), mleSeed(0x1000, 0, false),
          withFlags(in::kHeaderOnly, mle::encodeMleHeader(h))};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    fs::path out = argv[1];
    writeCorpus(out / "fuzz_txt_heap", heapSeeds());
    writeCorpus(out / "fuzz_mle", mleSeeds());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_txt_fuzz_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
