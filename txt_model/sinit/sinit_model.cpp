// The SINIT model's launch flow (see sinit_model.h). Each check is a rule of
// sinit_rules.h; the order is SENTER's then SINIT's.
#include "txt_model/sinit/sinit_model.h"

#include <algorithm>

#include "cpu_model/cpu.h"
#include "cpu_model/launch_rule_stop.h"
#include "sim/errors.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acpi/acpi_find.h"
#include "txt_model/acpi/dmar.h"
#include "txt_model/acm/acm_prelaunch_checks.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/chipset/error_code.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/chipset/txt_registers.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/mle/mle_header.h"
#include "txt_model/mle/mle_page_walk.h"
#include "txt_model/sinit/sinit_launch_data.h"
#include "txt_model/sinit/sinit_mtrr.h"
#include "txt_model/sinit/sinit_rules.h"

namespace dlsim::txt {

namespace r = sinit_rules;

namespace {
constexpr uint32_t kPlatformIdMsr = 0x17;
}  // namespace

struct SinitModel::Launch {
  uint32_t base = 0, size = 0, edx = 0;
  std::vector<uint8_t> module;
  AcmModule acm;
  uint32_t capabilities = 0;  // what this SINIT supports
  std::vector<uint8_t> heapBytes;
  heap::HeapParse heap;
  mle::MleWalk walk;
  mle::MleHeader mleHeader;
  uint64_t mleEntry = 0;  // physical
  std::optional<MtrrState> mtrrs;
  std::vector<uint8_t> dmar;  // the ACPI DMAR SINIT copies (empty: none found)
  std::string dmarNote;
  std::vector<PmrUnitResult> pmrUnits;
};

SinitModel::SinitModel(SinitModelConfig config, TxtChipset& chipset, GuestMemory& memory, LaunchRules& rules,
                       LaunchMeasurer& measurer)
    : config_(std::move(config)), chipset_(chipset), memory_(memory), rules_(rules), measurer_(measurer) {}

std::optional<uint64_t> SinitModel::rlpWakeupAddress() const { return rlpWakeup_; }

void SinitModel::platformReset() { rlpWakeup_.reset(); }

bool SinitModel::holds(bool ok, const r::SinitRule& rule) const { return ok && config_.injectError != rule.rule.id; }

InsnOutcome SinitModel::fail(Cpu& ilp, const std::string& step, const r::SinitRule& rule, const std::string& detail,
                             std::optional<uint32_t> code) {
  SinitOutcome o;
  o.step = step;
  o.rule = rule.rule.id;
  o.detail = config_.injectError == rule.rule.id ? "injected by the scenario (txt.sinit.inject_error)" : detail;
  const bool stop = breakRule(ilp, rules_, rule.rule, o.detail);
  if (!stop) o.errorCode = code.value_or(rule.errorCode);
  outcome_ = o;
  if (stop) return InsnOutcome::Stop;
  // Hardware: ERRORCODE, then the TXT reset (spec §8, §9). The platform
  // model ends the run in it; the ILP stops here too for a chipset that
  // does not.
  chipset_.setErrorCode(o.errorCode);
  chipset_.txtReset();
  ilp.stopMachine("txt-reset", "SINIT " + step + ": " + o.rule + ": " + o.detail + "; ERRORCODE " +
                                   hex(o.errorCode) + " (" + decodeTxtErrorCode(o.errorCode).summary + ")");
  return InsnOutcome::Stop;
}

InsnOutcome SinitModel::senter(Cpu& ilp, uint32_t base, uint32_t size, uint32_t edx) {
  outcome_.reset();
  rlpWakeup_.reset();
  Launch l;
  l.base = base;
  l.size = size;
  l.edx = edx;
  l.mtrrs = readMtrrs(ilp);
  if (auto o = checkAcm(ilp, l)) return *o;

  // The processor measures the module at locality 4 before it runs, then
  // opens private space and locality 3 for it (SDM vol. 2D GETSEC[SENTER]).
  std::optional<MeasurementFailure> acmFailure;
  if (config_.injectError == r::kMeasureAcm.rule.id)
    acmFailure = MeasurementFailure{"hash-start", "injected by the scenario", r::kMeasureAcm.errorCode};
  else
    acmFailure = measurer_.measureAcm(AcmMeasurementInputs{l.module, l.acm.header, edx});
  if (acmFailure)
    return fail(ilp, "measure-acm", r::kMeasureAcm, acmFailure->step + ": " + acmFailure->detail,
                acmFailure->errorCode ? acmFailure->errorCode : r::kMeasureAcm.errorCode);
  chipset_.openPrivate();
  chipset_.openLocality3();

  if (auto o = checkPlatform(ilp, l)) return *o;
  if (auto o = checkHeap(ilp, l)) return *o;
  if (auto o = checkMle(ilp, l)) return *o;
  if (auto o = checkProtection(ilp, l)) return *o;
  if (auto o = checkMtrrs(ilp, l)) return *o;
  if (auto o = applyDmaProtection(ilp, l)) return *o;

  mle::GuestMemoryPhysReader reader(memory_);
  LaunchMeasurementInputs in;
  in.memory = &reader;
  in.mle = l.walk;
  in.heap = l.heap.heap;
  in.heapBase = chipset_.heapBase();
  in.acmModule = l.module;
  in.acmHeader = l.acm.header;
  in.senterEdx = edx;
  LaunchMeasurementResult m;
  if (config_.injectError == r::kMeasureLaunch.rule.id)
    m.failure = MeasurementFailure{"pcr17-extend", "injected by the scenario", r::kMeasureLaunch.errorCode};
  else
    m = measurer_.measureLaunch(in);
  if (!m.ok())
    return fail(ilp, "measure-launch", r::kMeasureLaunch, m.failure->step + ": " + m.failure->detail,
                m.failure->errorCode ? m.failure->errorCode : r::kMeasureLaunch.errorCode);
  if (auto o = writeSinitMleData(ilp, l, m)) return *o;
  return enterMle(ilp, l);
}

// --- 1. the processor: load, type, memory type, authentication ---
std::optional<InsnOutcome> SinitModel::checkAcm(Cpu& ilp, Launch& l) {
  const std::string at = "SINIT at " + hex(l.base) + ", ECX " + hex(l.size);
  l.module.resize(l.size);
  if (!holds(memory_.read(l.base, l.module.data(), l.module.size()), r::kAcmReadable))
    return fail(ilp, "acm", r::kAcmReadable, at + " is not all RAM");
  try {
    l.acm = parseAcmModule(l.module, at);
  } catch (const InputError& e) {
    return fail(ilp, "acm", r::kAcmFormat, e.what());
  }
  if (!holds(l.acm.header.sizeBytes() <= l.size, r::kAcmFormat))
    return fail(ilp, "acm", r::kAcmFormat, "header Size*4 " + hex(l.acm.header.sizeBytes()) + " > ECX " + hex(l.size));
  const AcmHeader& h = l.acm.header;
  if (!holds(h.moduleType == kAcmTypeChipset && h.moduleVendor == kAcmVendorIntel &&
                 l.acm.info.chipsetAcmType == kAcmChipsetTypeSinit,
             r::kAcmType))
    return fail(ilp, "acm", r::kAcmType,
                "ModuleType " + hex(h.moduleType) + ", ModuleVendor " + hex(h.moduleVendor) + ", ChipsetACMType " +
                    hex(l.acm.info.chipsetAcmType));
  // AC RAM must be WB (the SINIT range WB: spec §5). A platform without
  // MTRR MSRs has nothing to check.
  std::string detail;
  if (!holds(!l.mtrrs || mtrrRangeWriteBack(*l.mtrrs, l.base, h.sizeBytes(), detail), r::kAcmMemoryType))
    return fail(ilp, "acm", r::kAcmMemoryType, detail);
  const auto keyHash = txtPublicKeyHash(h.rsaPublicKey);
  std::array<uint8_t, 32> platformKey{};
  for (uint32_t i = 0; i < 4; ++i) {
    const uint64_t v = chipset_.readSlot(TxtSpace::Public, reg::kPublicKey + 8 * i);
    for (unsigned b = 0; b < 8; ++b) platformKey[8 * i + b] = static_cast<uint8_t>(v >> (8 * b));
  }
  if (!holds(keyHash == platformKey, r::kAcmPublicKey))
    return fail(ilp, "acm", r::kAcmPublicKey,
                "key hash " + hexBytes(keyHash.data(), keyHash.size()) + ", TXT.PUBLIC.KEY " +
                    hexBytes(platformKey.data(), platformKey.size()));
  if (!holds(acmSignatureVerifies(l.module, h), r::kAcmSignature))
    return fail(ilp, "acm", r::kAcmSignature, "the signature does not verify under the module's key");
  return std::nullopt;
}

// --- 3. SINIT: is this my platform, and am I where the BIOS put SINIT ---
std::optional<InsnOutcome> SinitModel::checkPlatform(Cpu& ilp, Launch& l) {
  const TxtProfile& p = config_.profile;
  const uint64_t didvid = chipset_.readSlot(TxtSpace::Public, reg::kDidvid);
  if (!holds(acmMatchesChipset(l.acm, didvid), r::kChipsetId))
    return fail(ilp, "platform", r::kChipsetId, "no ChipsetIDList entry matches DIDVID " + hex(didvid));
  const uint64_t platformId = ilp.readMsr(kPlatformIdMsr).value_or(p.platformId);
  if (!holds(l.acm.info.version < 4 || acmMatchesProcessor(l.acm, p.cpuidSignature, platformId), r::kProcessorId))
    return fail(ilp, "platform", r::kProcessorId,
                "no ProcessorIDList entry matches CPUID.1:EAX " + hex(p.cpuidSignature) + " / IA32_PLATFORM_ID " +
                    hex(platformId));
  const uint64_t sb = chipset_.sinitBase(), ss = chipset_.sinitSize();
  if (!holds(l.base == sb && l.acm.header.sizeBytes() <= ss, r::kSinitRegion))
    return fail(ilp, "platform", r::kSinitRegion,
                "module at " + hex(l.base) + " (" + hex(l.acm.header.sizeBytes()) + " bytes), TXT.SINIT.BASE " +
                    hex(sb) + ", SINIT.SIZE " + hex(ss));
  l.capabilities = config_.capabilities.value_or(l.acm.info.capabilities);
  return std::nullopt;
}

// --- the heap: BiosData, OsMleData, OsSinitData as the loader left them ---
std::optional<InsnOutcome> SinitModel::checkHeap(Cpu& ilp, Launch& l) {
  const uint64_t hb = chipset_.heapBase(), hs = chipset_.heapSize();
  l.heapBytes.resize(hs);
  if (!holds(hs != 0 && memory_.read(hb, l.heapBytes.data(), hs), r::kHeapReadable))
    return fail(ilp, "heap", r::kHeapReadable, "TXT.HEAP.BASE " + hex(hb) + ", HEAP.SIZE " + hex(hs));
  l.heap = heap::parseTxtHeap(l.heapBytes, heap::HeapScope::kBeforeLaunch);
  heap::SinitHeapPolicy policy;
  const uint32_t maxOsSinit = l.acm.info.osSinitDataVersion ? l.acm.info.osSinitDataVersion : 7;
  policy.osSinitData = {4, maxOsSinit};
  policy.sinitCapabilities = l.capabilities;
  policy.tpm = config_.tpm;
  policy.logicalProcessors = config_.logicalProcessors;
  policy.heapBase = hb;
  policy.isRam = [this](uint64_t base, uint64_t size) { return memory_.contains(base, size); };
  const auto failures = heap::validateHeapForSinit(l.heap, policy);
  for (heap::HeapRule rule : heap::allHeapRules())  // an injected heap error fails the heap step
    if (!holds(true, r::heapRule(rule))) return fail(ilp, "heap", r::heapRule(rule), "");
  if (!failures.empty())
    return fail(ilp, "heap", r::heapRule(failures[0].rule),
                failures[0].detail + " (heap offset " + hex(failures[0].heapOffset) + ")");
  if (!l.heap.heap.osSinit)  // a table the parse could not read has a failure above
    return fail(ilp, "heap", r::heapRule(heap::HeapRule::kTableBeyondHeap), "no OsSinitData");
  return std::nullopt;
}

// --- the MLE: page tables (forbidden ranges), then its header through them ---
std::optional<InsnOutcome> SinitModel::checkMle(Cpu& ilp, Launch& l) {
  const heap::OsSinitData& o = *l.heap.heap.osSinit;
  mle::WalkOptions opt;
  opt.forbidden = forbiddenMleRanges(chipset_);
  mle::GuestMemoryPhysReader reader(memory_);
  l.walk = mle::walkMlePageTables(reader, o.mlePageTableBase, o.mleSize, opt);
  for (mle::MleRule rule : mle::allMleRules())
    if (!holds(true, r::mleRule(rule))) return fail(ilp, "mle", r::mleRule(rule), "");
  if (!l.walk.ok()) return fail(ilp, "mle", r::mleRule(l.walk.failure->rule), l.walk.failure->detail);
  std::vector<uint8_t> hb(static_cast<size_t>(std::min<uint64_t>(mle::kMleHeaderMaxSize,
                                                                  o.mleHeaderBase < o.mleSize ? o.mleSize - o.mleHeaderBase : 0)));
  std::optional<mle::MleHeader> h;
  if (!hb.empty() && mle::readMleLinear(reader, l.walk, o.mleHeaderBase, hb)) h = mle::parseMleHeader(hb);
  if (!h)
    return fail(ilp, "mle", r::mleRule(mle::MleRule::kHeaderUnreadable),
                "MLEHeaderBase " + hex(o.mleHeaderBase) + " with MLESize " + hex(o.mleSize));
  mle::MleHeaderPolicy hp;
  hp.minVersion = l.acm.info.minMleHeaderVersion ? l.acm.info.minMleHeaderVersion : 0x20000;
  hp.mleSize = o.mleSize;
  hp.headerBase = o.mleHeaderBase;
  hp.osSinitCapabilities = o.capabilities;
  const auto failures = mle::validateMleHeader(*h, hp);
  if (!failures.empty()) return fail(ilp, "mle", r::mleRule(failures[0].rule), failures[0].detail);
  l.mleHeader = *h;
  l.mleEntry = l.walk.pages.at(h->entryPoint / 0x1000) + h->entryPoint % 0x1000;
  return std::nullopt;
}

// --- DMA protection: OsSinitData's PMRs over the MLE, DPR over heap and SINIT ---
std::optional<InsnOutcome> SinitModel::checkProtection(Cpu& ilp, Launch& l) {
  const heap::OsSinitData& o = *l.heap.heap.osSinit;
  std::string uncovered;
  for (const mle::PhysRange& pr : l.walk.ranges)
    if (uncovered.empty() && !heap::pmrCovers(o, pr.base, pr.size))
      uncovered = "MLE bytes [" + hex(pr.base) + ", " + hex(pr.base + pr.size) + ")";
  for (uint64_t t : l.walk.tablePages)
    if (uncovered.empty() && !heap::pmrCovers(o, t, 0x1000)) uncovered = "page-table page " + hex(t);
  if (!holds(uncovered.empty(), r::kPmrCoversMle))
    return fail(ilp, "pmr", r::kPmrCoversMle,
                uncovered + " outside the PMRs (low " + hex(o.pmrLowBase) + "+" + hex(o.pmrLowSize) + ", high " +
                    hex(o.pmrHighBase) + "+" + hex(o.pmrHighSize) + ")");
  const uint64_t dpr = chipset_.dprRegister();
  const uint64_t top = reg::dpr::top(dpr), bottom = top - (reg::dpr::sizeMiB(dpr) << 20);
  auto inDpr = [&](uint64_t b, uint64_t s) { return s != 0 && b >= bottom && b + s <= top; };
  const bool dprOk = (dpr & reg::dpr::kLock) && inDpr(chipset_.heapBase(), chipset_.heapSize()) &&
                     inDpr(chipset_.sinitBase(), chipset_.sinitSize());
  if (!holds(dprOk, r::kDprCovers))
    return fail(ilp, "dpr", r::kDprCovers,
                "TXT.DPR " + hex(dpr) + " ([" + hex(bottom) + ", " + hex(top) + ")), heap " + hex(chipset_.heapBase()) +
                    "+" + hex(chipset_.heapSize()) + ", SINIT " + hex(chipset_.sinitBase()) + "+" +
                    hex(chipset_.sinitSize()));
  return std::nullopt;
}

// --- memory types: default UC, only SINIT cached (spec §5) ---
std::optional<InsnOutcome> SinitModel::checkMtrrs(Cpu& ilp, Launch& l) {
  if (!l.mtrrs) {  // no MTRR MSRs on this platform: nothing to check
    if (!holds(true, r::kMtrrDefault)) return fail(ilp, "mtrr", r::kMtrrDefault, "");
    if (!holds(true, r::kMtrrOnlySinitWb)) return fail(ilp, "mtrr", r::kMtrrOnlySinitWb, "");
    return std::nullopt;
  }
  const MtrrState& m = *l.mtrrs;
  if (!holds(m.enabled() && m.defaultType() == kMtrrUc, r::kMtrrDefault))
    return fail(ilp, "mtrr", r::kMtrrDefault, "IA32_MTRR_DEF_TYPE = " + hex(m.defType));
  // The cached range may be the BIOS's SINIT region or, where the loader
  // rounded differently, the module's own pages.
  std::string detail;
  const uint64_t lo = std::min<uint64_t>(chipset_.sinitBase(), l.base);
  const uint64_t hi = std::max<uint64_t>(chipset_.sinitBase() + chipset_.sinitSize(),
                                         l.base + ((l.acm.header.sizeBytes() + 0xFFF) & ~0xFFFull));
  if (!holds(mtrrOnlyRangeCached(m, lo, hi - lo, detail), r::kMtrrOnlySinitWb))
    return fail(ilp, "mtrr", r::kMtrrOnlySinitWb, detail);
  return std::nullopt;
}

// --- DMA protection applied: the PMRs on every unit the ACPI DMAR names ---
// The DMAR is found as firmware left it (OsSinitData v6+ RSDP when given,
// else the BIOS-area RSDP) and copied whole into SinitMleData: the MLE
// trusts that copy (spec §3). No public source names a SINIT error for a
// platform without a DMAR or a unit that does not take its PMRs, so neither
// fails the launch: the outcome records them (docs/txt-vtd.md). A DMAR
// longer than the heap cannot be copied: SinitMleData has no room.
std::optional<InsnOutcome> SinitModel::applyDmaProtection(Cpu& ilp, Launch& l) {
  const heap::OsSinitData& o = *l.heap.heap.osSinit;
  const uint64_t rsdp = o.version >= 6 ? o.rsdp : 0;
  const auto maxLength = static_cast<uint32_t>(std::min<uint64_t>(chipset_.heapSize(), 0xFFFFFFFFu));
  const AcpiTableFound found = findAcpiTable(memory_, "DMAR", rsdp, maxLength);
  if (found.length > maxLength)  // (an injected heap-room error fails where SinitMleData is written)
    return fail(ilp, "sinit-mle-data", r::kHeapRoom,
                "the ACPI DMAR at " + hex(found.address) + " (" + hex(found.length) +
                    " bytes) is longer than HEAP.SIZE " + hex(chipset_.heapSize()));
  if (!found.bytes) {
    l.dmarNote = found.note;
    return std::nullopt;
  }
  l.dmar = *found.bytes;
  DmarTable dmar;
  try {
    dmar = parseDmar(l.dmar, "ACPI DMAR at " + hex(found.address), /*checkChecksum=*/false);
  } catch (const InputError& e) {
    l.dmarNote = std::string(e.what()) + " (copied; no unit programmed)";
    return std::nullopt;
  }
  const PmrRanges ranges{o.pmrLowBase, o.pmrLowSize, o.pmrHighBase, o.pmrHighSize};
  for (const DmarDrhd& d : dmar.drhds) {
    if (pmrProgrammer_)
      l.pmrUnits.push_back(pmrProgrammer_->program(d.registerBase, ranges));
    else
      l.pmrUnits.push_back(PmrUnitResult{d.registerBase, false, "no DMA-remapping units on this platform model"});
  }
  return std::nullopt;
}

// --- 4. SinitMleData after OsSinitData ---
std::optional<InsnOutcome> SinitModel::writeSinitMleData(Cpu& ilp, Launch& l, const LaunchMeasurementResult& m) {
  const heap::OsSinitData& o = *l.heap.heap.osSinit;
  const bool monitorWake = (o.capabilities & heap::caps::kRlpWakeMonitor) && (l.capabilities & heap::caps::kRlpWakeMonitor);
  std::optional<uint64_t> wake;
  if (monitorWake) wake = rlpWakeupSlot(l.base, l.acm.header.sizeBytes(), chipset_.sinitBase(), chipset_.sinitSize());
  SinitMleDataInputs in;
  in.version = config_.sinitMleDataVersion.value_or(config_.profile.sinitMleDataVersion);
  in.edx = l.edx;
  in.acmDigests = m.acmDigests;
  in.mleDigests = m.mleDigests;
  in.rlpWakeupAddr = wake.value_or(0);
  in.processorScrtm = (config_.profile.txtExtensions >> 5) & 1;
  in.memoryRegions = memory_.regions();
  in.protectedRanges = protectedRanges(chipset_);
  in.dmar = l.dmar;
  const std::vector<uint8_t> table = heap::buildSinitMleData(buildSinitMleDataTable(in));
  const uint64_t at = l.heap.heap.osSinitExtent->offset + l.heap.heap.osSinitExtent->size;
  if (!holds(at + table.size() <= chipset_.heapSize(), r::kHeapRoom))
    return fail(ilp, "sinit-mle-data", r::kHeapRoom,
                hex(table.size()) + " bytes at heap offset " + hex(at) + ", HEAP.SIZE " + hex(chipset_.heapSize()));
  memory_.write(chipset_.heapBase() + at, table.data(), table.size());
  if (wake) {
    const uint32_t zero = 0;  // the MLE's nonzero write wakes the RLPs (spec §6)
    memory_.write(*wake, &zero, sizeof zero);
  }
  rlpWakeup_ = wake;
  return std::nullopt;
}

// --- 5. hand the platform to the MLE (spec §6) ---
InsnOutcome SinitModel::enterMle(Cpu& ilp, Launch& l) {
  chipset_.closeLocality3();
  chipset_.writeSlot(TxtSpace::Private, reg::kCmdOpenLocality2, 1, 0xFF, AccessContext::fromPlatform());
  chipset_.senterDone();
  const heap::OsSinitData& o = *l.heap.heap.osSinit;
  ilp.setArchState(mleEntryState(ilp.archState(), l.acm.header, l.base, l.mleEntry, o.mlePageTableBase,
                                 (o.capabilities & heap::caps::kEcxPageTable) != 0, l.edx));
  SinitOutcome out;
  out.done = true;
  out.mleEntry = l.mleEntry;
  out.rlpWakeupAddr = rlpWakeup_;
  out.dmarCopySize = static_cast<uint32_t>(l.dmar.size());
  out.dmarNote = l.dmarNote;
  out.pmrUnits = l.pmrUnits;
  outcome_ = out;
  return InsnOutcome::Jumped;
}

}  // namespace dlsim::txt
