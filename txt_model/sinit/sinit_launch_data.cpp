#include "txt_model/sinit/sinit_launch_data.h"

#include <algorithm>

#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/chipset/txt_registers.h"

namespace dlsim::txt {

namespace {
constexpr uint64_t kLegacyBase = 0xA0000, kLegacyEnd = 0x100000;
constexpr uint64_t kCr0Pe = 1ull << 0, kCr0Wp = 1ull << 16, kCr0Am = 1ull << 18, kCr0Pg = 1ull << 31;
constexpr uint64_t kCr4Smxe = 1ull << 14;
constexpr uint16_t kSha1 = 0x0004;

heap::Sha1Digest sha1Of(const std::vector<BankDigest>& banks) {
  heap::Sha1Digest d{};
  for (const BankDigest& b : banks)
    if (b.alg == kSha1 && b.digest.size() == d.size()) std::copy(b.digest.begin(), b.digest.end(), d.begin());
  return d;
}

void dprRange(const TxtChipset& c, std::vector<mle::NamedRange>& out) {
  const uint64_t dpr = c.dprRegister(), top = reg::dpr::top(dpr), size = reg::dpr::sizeMiB(dpr) << 20;
  if (size && size <= top) out.push_back({"DPR", top - size, size});
}
}  // namespace

std::vector<mle::NamedRange> forbiddenMleRanges(const TxtChipset& c) {
  std::vector<mle::NamedRange> out;
  if (c.heapSize()) out.push_back({"TXT heap", c.heapBase(), c.heapSize()});
  if (c.sinitSize()) out.push_back({"SINIT", c.sinitBase(), c.sinitSize()});
  out.push_back({"legacy 640K-1M", kLegacyBase, kLegacyEnd - kLegacyBase});
  out.push_back({"TXT configuration space", reg::kPrivateBase, reg::kPublicBase + reg::kSpaceSize - reg::kPrivateBase});
  return out;
}

std::vector<mle::NamedRange> protectedRanges(const TxtChipset& c) {
  std::vector<mle::NamedRange> out;
  dprRange(c, out);
  if (c.heapSize()) out.push_back({"TXT heap", c.heapBase(), c.heapSize()});
  if (c.sinitSize()) out.push_back({"SINIT", c.sinitBase(), c.sinitSize()});
  out.push_back({"legacy 640K-1M", kLegacyBase, kLegacyEnd - kLegacyBase});
  return out;
}

std::vector<heap::Mdr> goodMemory(const std::vector<RamRegion>& ram, const std::vector<mle::NamedRange>& protect) {
  std::vector<std::pair<uint64_t, uint64_t>> pieces;  // [start, end)
  for (const RamRegion& r : ram) pieces.emplace_back(r.base, r.base + r.size);
  for (const mle::NamedRange& p : protect) {
    std::vector<std::pair<uint64_t, uint64_t>> next;
    const uint64_t ps = p.base, pe = p.base + p.size;
    for (auto [s, e] : pieces) {
      if (pe <= s || ps >= e) {
        next.emplace_back(s, e);
        continue;
      }
      if (s < ps) next.emplace_back(s, ps);
      if (pe < e) next.emplace_back(pe, e);
    }
    pieces = std::move(next);
  }
  std::sort(pieces.begin(), pieces.end());
  std::vector<heap::Mdr> out;
  for (auto [s, e] : pieces) out.push_back(heap::Mdr{s, e - s, static_cast<uint8_t>(heap::MdrType::kGood)});
  return out;
}

uint64_t rlpWakeupSlot(uint64_t acmBase, uint64_t acmSize, uint64_t sinitBase, uint64_t sinitSize) {
  const uint64_t after = (acmBase + acmSize + 63) & ~63ull;
  if (after >= sinitBase && after + 64 <= sinitBase + sinitSize) return after;
  return sinitSize >= 64 ? sinitBase + sinitSize - 64 : after;
}

heap::SinitMleData buildSinitMleDataTable(const SinitMleDataInputs& in) {
  heap::SinitMleData s;
  s.version = in.version;
  s.edxSenterFlags = in.edx;
  s.sinitHash = sha1Of(in.acmDigests);
  s.mleHash = sha1Of(in.mleDigests);
  s.rlpWakeupAddr = static_cast<uint32_t>(in.rlpWakeupAddr);
  s.processorScrtmStatus = in.processorScrtm;
  s.mdrs = goodMemory(in.memoryRegions, in.protectedRanges);
  s.dmar = in.dmar;
  return s;
}

ArchState mleEntryState(const ArchState& before, const AcmHeader& acm, uint64_t acmBase, uint64_t mleEntry,
                        uint64_t pageTableBase, bool ecxPageTable, uint32_t edx) {
  ArchState a = before;
  a.cr0 = (before.cr0 & ~(kCr0Pg | kCr0Am | kCr0Wp)) | kCr0Pe;
  a.cr4 = kCr4Smxe;
  a.efer = 0;
  a.rflags = 2;
  a.dr7 = 0x400;
  a.rip = mleEntry;
  a.gprs[ArchState::Rbx] = mleEntry;
  a.gprs[ArchState::Rcx] = ecxPageTable ? pageTableBase : 0;
  a.gprs[ArchState::Rdx] = edx;
  const auto sel = static_cast<uint16_t>(acm.segSel);
  a.cs = SegmentState::flatCode32(sel);
  a.ds = a.es = a.fs = a.gs = a.ss = SegmentState::flatData32(static_cast<uint16_t>(sel + 8));
  a.gdtr = TableRegister{acmBase + acm.gdtBasePtr, static_cast<uint16_t>(acm.gdtLimit)};
  return a;
}

}  // namespace dlsim::txt
