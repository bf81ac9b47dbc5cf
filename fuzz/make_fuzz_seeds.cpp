// Writes the seed corpora of the fuzz targets (no binary files are checked
// in): valid TPM commands built by hand, the bus accesses of the test
// drivers (tpm_model/tests/interface_drivers.h) recorded while they run real
// commands through TIS and CRB, valid event logs of every form, and the TXT
// targets' inputs from the txt_model builders (ACMs, DMAR tables, heaps, MLE
// page tables), and SKL images of each layout from the svm_model/slb encoder.
// Usage: make_fuzz_seeds OUT_DIR -> OUT_DIR/<target>/seed-NNN.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/fuzz_inputs.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/eventlog/event_log.h"
#include "tpm_model/eventlog/legacy_bank_log.h"
#include "tpm_model/eventlog/txt12_event_container.h"
#include "tpm_model/eventlog/txt_event_container.h"
#include "tpm_model/interface/crb_device.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/tests/interface_drivers.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/profiles/txt_profile.h"
#include "sim/guest_memory.h"
#include "svm_model/slb/skl_acceptance.h"
#include "svm_model/slb/skl_image.h"
#include "txt_model/acpi/acpi_find.h"
#include "txt_model/acpi/dmar.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_validate.h"
#include "txt_model/mle/mle_header.h"

namespace {

namespace fs = std::filesystem;
using namespace dlsim::tpm::test;  // Bytes, Cmd, be16, be32, command builders

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

Bytes tpm2b(const Bytes& b) {
  Bytes out;
  be16(out, uint16_t(b.size()));
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes u16(uint16_t v) {
  Bytes b;
  be16(b, v);
  return b;
}
Bytes u32(uint32_t v) {
  Bytes b;
  be32(b, v);
  return b;
}

Bytes getCapability(uint32_t cap, uint32_t property, uint32_t count) {
  return Cmd{0x17A, {}, 0, {}, cat({u32(cap), u32(property), u32(count)})}.build();
}
Bytes getRandom(uint16_t n) { return Cmd{0x17B, {}, 0, {}, u16(n)}.build(); }
Bytes hashCmd(const Bytes& data) { return Cmd{0x17D, {}, 0, {}, cat({tpm2b(data), u16(0x000B), u32(0x40000007)})}.build(); }
// Handles of the first transient object (the reference implementation's).
constexpr uint32_t kFirstTransient = 0x80000000;
Bytes hashSequenceStart(uint16_t alg) { return Cmd{0x186, {}, 0, {}, cat({tpm2b({}), u16(alg)})}.build(); }
Bytes sequenceUpdate(const Bytes& data) { return Cmd{0x15C, {kFirstTransient}, 1, {}, tpm2b(data)}.build(); }
Bytes sequenceComplete(const Bytes& data) {
  return Cmd{0x13E, {kFirstTransient}, 1, {}, cat({tpm2b(data), u32(0x40000007)})}.build();
}
Bytes eventSequenceComplete(uint32_t pcr, const Bytes& data) {
  return Cmd{0x185, {pcr, kFirstTransient}, 2, {}, tpm2b(data)}.build();
}
constexpr uint32_t kNvIndex = 0x01500010;
Bytes nvDefine() {
  Bytes pub = cat({u32(kNvIndex), u16(0x000B), u32(0x00060006), tpm2b({}), u16(32)});
  return Cmd{0x12A, {0x40000001}, 1, {}, cat({tpm2b({}), tpm2b(pub)})}.build();
}
Bytes nvWrite(const Bytes& data) { return Cmd{0x137, {kNvIndex, kNvIndex}, 1, {}, cat({tpm2b(data), u16(0)})}.build(); }
Bytes nvRead() { return Cmd{0x14E, {kNvIndex, kNvIndex}, 1, {}, cat({u16(32), u16(0)})}.build(); }
Bytes nvReadPublic() { return Cmd{0x169, {kNvIndex}, 0, {}, {}}.build(); }

Bytes split(uint8_t flags, std::initializer_list<Bytes> cmds) {
  Bytes out{uint8_t(flags | dlsim::fuzz::cmdflags::kSplit)};
  for (const auto& c : cmds) out.insert(out.end(), c.begin(), c.end());
  return out;
}
// A target's input: its first byte (flags or selector), then `b`.
Bytes prefixed(uint8_t first, const Bytes& b) {
  Bytes out{first};
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
Bytes single(uint8_t flags, const Bytes& cmd) { return prefixed(flags, cmd); }

std::vector<Bytes> commandSeeds() {
  using namespace dlsim::fuzz::cmdflags;
  Bytes d32(32, 0xA5), d20(20, 0x5A);
  Bytes tpm12 = {0x00, 0xC1, 0, 0, 0, 0x0A, 0, 0, 0, 0x65};  // TPM 1.2 TPM_GetCapability-style header
  return {
      single(0, startupClear()),
      single(3, startupClear()),
      single(kStartup, extendSha256(0, d32)),
      single(kStartup | 4, extendSha256(17, d32)),
      single(kStartup | 2, pcrExtend(20, {{0x0004, d20}, {0x000B, d32}})),
      single(kStartup, pcrRead(0x000B, 0)),
      single(kStartup | kTwoBanks, pcrRead(0x0004, 17)),
      single(kStartup, getCapability(5, 0, 1)),
      single(kStartup, getCapability(6, 0x100, 64)),
      single(kStartup, getCapability(2, 0x11F, 64)),
      single(kStartup, getRandom(16)),
      single(kStartup, hashCmd(Bytes(64, 'a'))),
      single(kStartup, pcrReset(16)),
      single(kStartup, pcrEvent(23, Bytes(10, 'e'))),
      single(kStartup, tpm12),
      split(kStartup, {extendSha256(0, d32), pcrRead(0x000B, 0), getCapability(5, 0, 1)}),
      split(kStartup, {hashSequenceStart(0x000B), sequenceUpdate(Bytes(100, 'x')), sequenceComplete(Bytes(3, 'y'))}),
      split(kStartup, {hashSequenceStart(0x0000), sequenceUpdate(Bytes(50, 'z')), eventSequenceComplete(16, {})}),
      split(kStartup, {nvDefine(), nvWrite(Bytes(32, 0x11)), nvRead(), nvReadPublic()}),
      split(0, {startupClear(), startupClear(), pcrRead(0x000C, 23)}),
  };
}

// A Device that forwards to another one and records each access in the
// fuzz_tpm_tis record format.
struct RecordingDevice : dlsim::Device {
  RecordingDevice(dlsim::Device& d, Bytes& o) : inner(d), out(o) {}
  dlsim::Device& inner;
  Bytes& out;
  std::string name() const override { return inner.name(); }
  uint64_t read(const dlsim::AccessContext& ctx, uint64_t offset, unsigned size) override {
    dlsim::fuzz::encodeAccess(out, false, unsigned(offset / 0x1000), uint32_t(offset % 0x1000), size, 0,
                              ctx.locality == 4);
    return inner.read(ctx, offset, size);
  }
  void write(const dlsim::AccessContext& ctx, uint64_t offset, unsigned size, uint64_t value) override {
    dlsim::fuzz::encodeAccess(out, true, unsigned(offset / 0x1000), uint32_t(offset % 0x1000), size, value,
                              ctx.locality == 4);
    inner.write(ctx, offset, size, value);
  }
};

void check(const Result& r, const char* what) {
  if (!r.ok) throw std::runtime_error(std::string("seed driver run failed (") + what + "): " + r.error);
  if (rcOf(r.response) != 0)
    throw std::runtime_error(std::string("seed driver run: ") + what + " answered rc " + std::to_string(rcOf(r.response)));
}

// The locality-4 hash sequence as a CPU performs it: HASH_START, data bytes
// to HASH_DATA, HASH_END, all marked as locality 4 by the platform.
void hashSequence(RecordingDevice& rec, const Bytes& data, unsigned width) {
  dlsim::AccessContext ctx;
  ctx.requester = dlsim::Requester::kPlatform;
  ctx.locality = 4;
  rec.write(ctx, 0x4028, 1, 0);
  for (size_t i = 0; i < data.size(); i += width) {
    uint64_t v = 0;
    for (unsigned k = 0; k < width && i + k < data.size(); ++k) v |= uint64_t(data[i + k]) << (8 * k);
    rec.write(ctx, 0x4024, width, v);
  }
  rec.write(ctx, 0x4020, 1, 0);
}

std::vector<Bytes> interfaceSeeds() {
  using namespace dlsim::fuzz::tisflags;
  std::vector<Bytes> seeds;
  Bytes d32(32, 0x3C);
  for (bool crb : {false, true}) {
    for (int variant = 0; variant < 3; ++variant) {
      uint8_t setup = uint8_t((crb ? kCrb : 0) | (variant == 0 ? 0 : kStartup) | (variant == 2 ? (7u << kOpenShift) : 0));
      dlsim::tpm::DlsimEngine engine;
      dlsim::tpm::TpmInterfaceOptions opt;
      for (unsigned l = 1; l <= 3; ++l) opt.openAtStart[l] = variant == 2;
      if (setup & kStartup) engine.execute(0, startupClear());
      Bytes out{setup};
      std::unique_ptr<dlsim::tpm::TpmInterface> dev;
      if (crb)
        dev = std::make_unique<dlsim::tpm::CrbDevice>(engine, opt);
      else
        dev = std::make_unique<dlsim::tpm::TisDevice>(engine, opt);
      RecordingDevice rec(*dev, out);
      unsigned loc = variant == 2 ? 3 : 0;
      auto run = [&](auto& drv) {
        if (!drv.requestLocality(loc)) throw std::runtime_error("seed driver: locality not granted");
        if (variant == 0) check(drv.transmit(loc, startupClear()), "Startup");
        check(drv.transmit(loc, extendSha256(variant == 2 ? 18 : 0, d32)), "PCR_Extend");
        check(drv.transmit(loc, pcrRead(0x000B, variant == 2 ? 18 : 0)), "PCR_Read");
        check(drv.transmit(loc, getCapability(6, 0x100, 8)), "GetCapability");
        drv.relinquish(loc);
      };
      if (crb) {
        CrbDriver drv(rec);
        run(drv);
      } else {
        TisDriver drv(rec);
        drv.fifoWidth = variant == 1 ? 4 : 1;
        run(drv);
      }
      if (variant >= 1) hashSequence(rec, Bytes(40, 0x77), variant == 1 ? 4 : 1);
      seeds.push_back(out);
    }
  }
  return seeds;
}

Bytes withSelector(uint8_t sel, const Bytes& b) { return prefixed(sel, b); }

std::vector<Bytes> eventLogSeeds() {
  using namespace dlsim::tpm::evlog;
  EventLog agile = makeCryptoAgileLog({0x0004, 0x000B, 0x000C}, {9, 8, 7});
  EventLog sha1 = makeSha1Log();
  EventLog legacy256 = makeLegacyBankLog(0x000B, true), legacy384 = makeLegacyBankLog(0x000C, false);
  for (uint32_t i = 0; i < 6; ++i) {
    appendMeasured(agile, 17 + i % 3, 0x402 + i, Bytes(i * 5, uint8_t('a' + i)));
    appendMeasured(sha1, 17 + i % 3, 0x501, Bytes(i * 3, uint8_t(i)));
    appendMeasured(legacy256, 17 + i % 2, 0x402 + i, Bytes(i * 4, uint8_t('k' + i)));
    appendMeasured(legacy384, 17 + i % 2, 0x402 + i, Bytes(i * 2, uint8_t(i)));
  }
  Bytes legacy384Bytes = serializeEventLog(legacy384);
  legacy384Bytes.insert(legacy384Bytes.begin(), 2);  // selector 9's bank byte: index 2, SHA-384
  EventLogPointer2_1 ptr{0x100000, 0x400, 0, 0};
  Bytes container(ptr.allocatedSize);
  writeTxtSpecIdHeader(ptr, container, agile.specId, "seed");
  for (size_t i = 1; i < 4; ++i) appendTxtEvent(ptr, container, agile.events[i], "seed");
  Bytes agileBytes = serializeEventLog(agile), sha1Bytes = serializeEventLog(sha1);
  // Selector 6: the pointer fields, then the container as memory at 0x100000.
  Bytes ptrAndMemory;
  for (uint32_t v : {0u, ptr.allocatedSize, ptr.firstRecordOffset, ptr.nextRecordOffset})
    for (int k = 0; k < 4; ++k) ptrAndMemory.push_back(uint8_t(v >> (8 * k)));
  ptrAndMemory.insert(ptrAndMemory.end(), container.begin(), container.end());
  return {
      withSelector(0, agileBytes),
      withSelector(1, sha1Bytes),
      withSelector(2, agileBytes),
      withSelector(3, encodeTxtContainerDump(ptr, container)),
      withSelector(3, buildTxt12Container(sha1, 0x300)),
      withSelector(4, encodeTxtContainerDump(ptr, container)),
      withSelector(5, buildTxt12Container(sha1, 0x300)),
      withSelector(6, ptrAndMemory),
      withSelector(7, encodeSpecIdEvent(agile.specId)),
      withSelector(3, serializeEventLog(legacy256)),
      withSelector(8, serializeEventLog(legacy256)),
      withSelector(9, legacy384Bytes),
  };
}

// fuzz_acm: each shipped profile's simulated SINIT, cut to its first 0x800
// bytes (Size patched to match: within -max_len, lists intact), with the
// information table at versions 3, 4 and 5, for both entry points.
std::vector<Bytes> acmSeeds() {
  std::vector<Bytes> seeds;
  for (const std::string& name : dlsim::txt::shippedTxtProfiles()) {
    std::vector<uint8_t> acm = dlsim::txt::buildSinitAcm(dlsim::txt::findTxtProfile(name));
    acm.resize(0x800);
    acm[0x18] = 0x00;  // Size = 0x200 dwords
    acm[0x19] = 0x02;
    for (uint8_t version : {3, 4, 5}) {
      acm[0x4C0 + 0x11] = version;
      for (uint8_t selector : {0, 1}) {
        seeds.push_back(prefixed(selector, acm));
      }
    }
  }
  return seeds;
}

// DMAR tables: the units a TXT platform reports, and one with every
// structure type; each with and without the checksum check selected.
std::vector<Bytes> dmarSeeds() {
  using namespace dlsim::txt;
  DmarTable all;
  all.flags = kDmarIntrRemap | kDmarDmaCtrlPlatformOptIn;
  all.drhds.push_back({0, 0, 0, 0xfed90000, {{kScopePciEndpoint, 0, 0, 0, {{2, 0}}}}});
  all.drhds.push_back({kDrhdIncludePciAll, 0, 0, 0xfed91000,
                       {{kScopeIoApic, 0, 2, 0xf0, {{0x1f, 0}}}, {kScopeMsiHpet, 0, 0, 0, {{0x1f, 0}}}}});
  all.rmrrs.push_back({0, 0x3e2e0000, 0x3e2fffff, {{kScopePciEndpoint, 0, 0, 0, {{0x14, 0}}}}});
  all.atsrs.push_back({kAtsrAllPorts, 0, {}});
  all.rhsas.push_back({0xfed91000, 0});
  all.andds.push_back({1, "\\_SB.PCI0.I2C0"});
  all.satcs.push_back({kSatcAtcRequired, 0, {{kScopePciEndpoint, 0, 0, 0, {{2, 0}}}}});
  std::vector<Bytes> tables = {buildDmarForUnits({0xfed90000}, 38, 0, dlsim::AcpiIds{}),
                               buildDmarForUnits({0xfed90000, 0xfed91000}, 45, kDmarIntrRemap, dlsim::AcpiIds{}),
                               buildDmar(all)};
  std::vector<Bytes> seeds;
  for (const Bytes& t : tables)
    for (uint8_t sel : {0, 1}) seeds.push_back(prefixed(sel, t));
  return seeds;
}

// fuzz_acpi_find: the firmware layouts SINIT walks (fuzz_inputs.h,
// acpifind): an RSDP (revision 2 with XSDT and RSDT, or revision 0 with the
// RSDT alone), the root table and a DMAR, found by search or at the given
// address. Offsets below are from acpifind::kPlaceAt.
void putLe(Bytes& b, size_t off, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; ++i) b.at(off + i) = uint8_t(v >> (8 * i));
}
void acpiChecksum(Bytes& b, size_t start, size_t len, size_t at) {
  b.at(at) = 0;
  unsigned sum = 0;
  for (size_t i = 0; i < len; ++i) sum += b.at(start + i);
  b[at] = uint8_t(-sum);
}
Bytes acpiLayout(uint8_t revision, bool viaXsdt) {
  namespace in = dlsim::fuzz::acpifind;
  constexpr size_t kRsdp = 0, kXsdt = 0x40, kRsdt = 0x80, kDmar = 0x100;
  const Bytes dmar = dlsim::txt::buildDmarForUnits({0xfed90000}, 38, 0, dlsim::AcpiIds{});
  Bytes b(kDmar + dmar.size(), 0);
  std::copy(dmar.begin(), dmar.end(), b.begin() + kDmar);
  const std::string sig = "RSD PTR ";
  std::copy(sig.begin(), sig.end(), b.begin() + kRsdp);
  b[kRsdp + 15] = revision;
  putLe(b, kRsdp + 16, in::kPlaceAt + kRsdt, 4);
  acpiChecksum(b, kRsdp, 20, kRsdp + 8);
  if (revision >= 2) {
    putLe(b, kRsdp + 20, 36, 4);
    putLe(b, kRsdp + 24, viaXsdt ? in::kPlaceAt + kXsdt : 0, 8);
    acpiChecksum(b, kRsdp, 36, kRsdp + 32);
  }
  auto root = [&](size_t at, const char* s, unsigned entry) {
    std::copy(s, s + 4, b.begin() + at);
    putLe(b, at + 4, 36 + entry, 4);
    b[at + 8] = 1;
    putLe(b, at + 36, in::kPlaceAt + kDmar, entry);
    acpiChecksum(b, at, 36 + entry, at + 9);
  };
  root(kXsdt, "XSDT", 8);
  root(kRsdt, "RSDT", 4);
  return b;
}
std::vector<Bytes> acpiFindSeeds() {
  namespace in = dlsim::fuzz::acpifind;
  std::vector<Bytes> seeds;
  for (auto [revision, viaXsdt] : {std::pair<uint8_t, bool>{2, true}, {2, false}, {0, false}}) {
    const Bytes layout = acpiLayout(revision, viaXsdt);
    for (bool given : {false, true}) {
      Bytes s(in::kHeaderSize, 0);
      s[0] = given ? in::kRsdpGiven : 0;
      putLe(s, 1, given ? in::kPlaceAt : 0, 4);
      s.insert(s.end(), layout.begin(), layout.end());
      // Each seed must reach the DMAR, or the target would start from
      // layouts it rejects at the first step.
      dlsim::GuestMemory m;
      m.addRam(in::kRamBase, in::kRamSize, "seed");
      m.write(in::kPlaceAt, layout.data(), layout.size());
      const auto found = dlsim::txt::findAcpiTable(m, "DMAR", given ? in::kPlaceAt : 0, 0x2000);
      if (!found.bytes) throw std::runtime_error("fuzz_acpi_find seed finds no DMAR: " + found.note);
      seeds.push_back(s);
    }
  }
  return seeds;
}

// fuzz_txt_heap: heaps as tboot, Linux Secure Launch and SINIT write them
// (first byte: the target's flags). fuzz_mle: MLE page tables laid out as
// tboot and GRUB build them, with a tboot-style MLE header.
Bytes withFlags(uint8_t flags, const Bytes& b) { return prefixed(flags, b); }

std::vector<Bytes> heapSeeds() {
  using namespace dlsim::txt::heap;
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

// A tboot-style MLE header (0x34 bytes) of this version, MLE range and capabilities.
dlsim::txt::mle::MleHeader mleHeader(uint32_t version, uint32_t start, uint32_t end, uint32_t capabilities) {
  dlsim::txt::mle::MleHeader h;
  h.uuid = dlsim::txt::mle::kMleHeaderUuid;
  h.length = 0x34;
  h.version = version;
  h.mleStartOffset = start;
  h.mleEndOffset = end;
  h.capabilities = capabilities;
  return h;
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
  dlsim::txt::mle::MleHeader h = mleHeader(0x20001, 0x4000, 0x4000 + mleSize, 0x627);
  h.entryPoint = 0x10;
  Bytes hb = dlsim::txt::mle::encodeMleHeader(h);
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
  const dlsim::txt::mle::MleHeader h = mleHeader(0x20003, 0, 0x9000, 0x227);
  return {mleSeed(0x4000, 0x100, false), mleSeed(0x3A10, 0x800, true), mleSeed(0x1000, 0, false),
          withFlags(in::kHeaderOnly, dlsim::txt::mle::encodeMleHeader(h))};
}

}  // namespace

// fuzz_elf_sections: ELF images with a section header table (ELF32 with
// 40-byte and padded 48-byte entries, ELF64 with 64-byte entries), and one
// without sections. Only the Ehdr fields the reader uses and the table are
// filled in (gABI offsets); the entries are dummy section headers.
Bytes elfWithSections(bool is64, uint16_t num, uint16_t entsize) {
  const size_t ehdr = is64 ? 64 : 52, shoff = 0x80;
  Bytes b(shoff + size_t(num) * entsize, 0);
  const char magic[] = {0x7f, 'E', 'L', 'F'};
  std::copy(magic, magic + 4, b.begin());
  b[4] = is64 ? 2 : 1;  // EI_CLASS
  b[5] = 1;             // little-endian
  b[6] = 1;             // EV_CURRENT
  putLe(b, 16, 2, 2);   // ET_EXEC
  putLe(b, 18, is64 ? 62 : 3, 2);
  putLe(b, is64 ? 52 : 40, ehdr, 2);  // e_ehsize
  if (num) putLe(b, is64 ? 40 : 32, shoff, is64 ? 8 : 4);
  putLe(b, is64 ? 58 : 46, entsize, 2);
  putLe(b, is64 ? 60 : 48, num, 2);
  putLe(b, is64 ? 62 : 50, num ? num - 1 : 0, 2);
  for (uint16_t i = 1; i < num; ++i) {
    size_t at = shoff + size_t(i) * entsize;
    putLe(b, at, i * 8, 4);  // sh_name
    putLe(b, at + 4, i == num - 1 ? 3 : 1, 4);  // SHT_STRTAB last, else SHT_PROGBITS
  }
  return b;
}
std::vector<Bytes> elfSectionSeeds() {
  return {elfWithSections(false, 4, 40), elfWithSections(false, 3, 48), elfWithSections(true, 5, 64),
          elfWithSections(false, 0, 40), elfWithSections(true, 0, 0)};
}

// fuzz_skl_image: an SKL image GRUB accepts in each layout, read as that
// layout (selector 0-2) and as the one detected (3).
std::vector<Bytes> sklSeeds() {
  using namespace dlsim::svm;
  std::vector<Bytes> seeds;
  const SklLayout layouts[] = {SklLayout::Tags2023, SklLayout::Slrt2024, SklLayout::Slrt2025};
  for (uint8_t i = 0; i < 3; ++i) {
    SklImage s;
    s.layout = layouts[i];
    s.imageSize = 0x2000;
    s.entry = 0x100;
    s.length = 0x1800;
    s.sklInfoOffset = 0x50;
    s.bootloaderDataOffset = 0x1800;
    s.uuid = kSklUuid;
    s.version = 0;
    const Bytes image = encodeSklImage(s);
    if (!checkSklImage(parseSklImage(image, s.layout, "seed")).empty() || detectSklLayout(image) != s.layout)
      throw std::runtime_error("fuzz_skl_image seed " + std::string(sklLayoutName(s.layout)) +
                               " is not an accepted, detected SKL");
    seeds.push_back(prefixed(i, image));
    seeds.push_back(prefixed(3, image));
  }
  return seeds;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    fs::path out = argv[1];
    writeCorpus(out / "fuzz_tpm_command", commandSeeds());
    writeCorpus(out / "fuzz_tpm_tis", interfaceSeeds());
    writeCorpus(out / "fuzz_event_log", eventLogSeeds());
    writeCorpus(out / "fuzz_acm", acmSeeds());
    writeCorpus(out / "fuzz_dmar", dmarSeeds());
    writeCorpus(out / "fuzz_acpi_find", acpiFindSeeds());
    writeCorpus(out / "fuzz_txt_heap", heapSeeds());
    writeCorpus(out / "fuzz_mle", mleSeeds());
    writeCorpus(out / "fuzz_elf_sections", elfSectionSeeds());
    writeCorpus(out / "fuzz_skl_image", sklSeeds());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_fuzz_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
