#include "svm_model/handoff/handoff_slrt.h"

#include "sim/errors.h"

namespace dlsim::svm {

SlrtGeometry slrtGeometry(SklLayout layout) {
  switch (layout) {
    case SklLayout::Slrt2024: return {16, 4, 52, 20, 8, 44, 20, 0, 4};
    case SklLayout::Slrt2025: return {16, 8, 72, 24, 16, 56, 32, 56, 8};
    case SklLayout::Tags2023: break;
  }
  throw InternalError("slrtGeometry: the tags2023 layout has no SLRT");
}

SlrtOffsets slrtOffsets(SklLayout layout, uint32_t policyEntries, uint32_t amdInfoSize) {
  SlrtGeometry g = slrtGeometry(layout);
  SlrtOffsets o{};
  o.dlInfo = g.headerSize;
  o.logInfo = o.dlInfo + g.dlInfoSize;
  o.entryPolicy = o.logInfo + g.logInfoSize;
  o.amdInfo = o.entryPolicy + g.policyHeaderSize + policyEntries * g.policyEntrySize;
  o.end = o.amdInfo + (g.amdInfoSize && amdInfoSize ? amdInfoSize : g.amdInfoSize);
  o.size = o.end + g.endSize;
  return o;
}

namespace {

// The entry header: u16/u16 (2024) or u32/u32 (2025).
void entryHeader(FieldBlock& b, const SlrtGeometry& g, const std::string& entry, uint32_t off, uint32_t tag,
                 uint32_t size) {
  uint32_t w = g.entryHeaderSize / 2;
  b.number(entry + ".hdr.tag", off, w, tag);
  b.number(entry + ".hdr.size", off + w, w, size);
}

void dlInfo2025(FieldBlock& b, const SlrtContent& c, uint32_t o) {
  b.number("dl_info.dce_size", o + 8, 8, c.dceSize);
  b.number("dl_info.dce_base", o + 16, 8, c.dceBase);
  b.number("dl_info.dlme_size", o + 24, 8, c.dlmeSize);
  b.number("dl_info.dlme_base", o + 32, 8, c.dlmeBase);
  b.number("dl_info.dlme_entry", o + 40, 8, c.dlmeEntry);
  b.number("dl_info.bl_context.bootloader", o + 48, 2, kSlrtBootloaderGrub);
  b.number("dl_info.bl_context.reserved", o + 50, 6, 0);
  b.number("dl_info.bl_context.context", o + 56, 8, c.blContext);
  b.number("dl_info.dl_handler", o + 64, 8, 0);
}

// SKL-S include/slrt.h: bl_context {u16, u16, u64}, u64 dl_handler, u64
// dce_base, u32 dce_size, u64 dlme_base, u32 dlme_size, u32 dlme_entry.
void dlInfo2024(FieldBlock& b, const SlrtContent& c, uint32_t o) {
  b.number("dl_info.bl_context.bootloader", o + 4, 2, kSlrtBootloaderGrub);
  b.number("dl_info.bl_context.reserved", o + 6, 2, 0);
  b.number("dl_info.bl_context.context", o + 8, 8, c.blContext);
  b.number("dl_info.dl_handler", o + 16, 8, 0);
  b.number("dl_info.dce_base", o + 24, 8, c.dceBase);
  b.number("dl_info.dce_size", o + 32, 4, c.dceSize);
  b.number("dl_info.dlme_base", o + 36, 8, c.dlmeBase);
  b.number("dl_info.dlme_size", o + 44, 4, c.dlmeSize);
  b.number("dl_info.dlme_entry", o + 48, 4, c.dlmeEntry);
}

}  // namespace

FieldBlock encodeSlrt(const SlrtContent& c) {
  SlrtGeometry g = slrtGeometry(c.layout);
  bool v2025 = c.layout == SklLayout::Slrt2025;
  SlrtOffsets off = slrtOffsets(c.layout, uint32_t(c.policy.size()), c.amdInfoSize);
  FieldBlock b("slrt", c.address);
  b.reserve(off.size);

  b.number("slrt.magic", 0, 4, kSlrtMagic);
  b.number("slrt.revision", 4, 2, kSlrtRevision);
  b.number("slrt.architecture", 6, 2, kSlrtArchAmd);
  b.number("slrt.size", 8, 4, off.size);
  b.number("slrt.max_size", 12, 4, c.maxSize);

  entryHeader(b, g, "dl_info", off.dlInfo, kSlrtTagDlInfo, g.dlInfoSize);
  if (v2025)
    dlInfo2025(b, c, off.dlInfo);
  else
    dlInfo2024(b, c, off.dlInfo);

  uint32_t o = off.logInfo;
  entryHeader(b, g, "log_info", o, kSlrtTagLogInfo, g.logInfoSize);
  b.number("log_info.format", o + g.entryHeaderSize, 2, c.logFormat);
  b.number("log_info.reserved", o + g.entryHeaderSize + 2, 2, 0);
  if (v2025) {  // u32 size, u64 addr
    b.number("log_info.size", o + 12, 4, c.logSize);
    b.number("log_info.addr", o + 16, 8, c.logBase);
  } else {  // u64 addr, u32 size
    b.number("log_info.addr", o + 8, 8, c.logBase);
    b.number("log_info.size", o + 16, 4, c.logSize);
  }

  o = off.entryPolicy;
  uint32_t policySize = g.policyHeaderSize + uint32_t(c.policy.size()) * g.policyEntrySize;
  entryHeader(b, g, "entry_policy", o, kSlrtTagEntryPolicy, policySize);
  uint32_t p = o + g.entryHeaderSize;
  if (v2025) {
    b.number("entry_policy.reserved", p, 4, 0);
    p += 4;
  }
  b.number("entry_policy.revision", p, 2, kSlrtRevision);
  b.number("entry_policy.nr_entries", p + 2, 2, c.policy.size());
  for (size_t i = 0; i < c.policy.size(); ++i) {
    const PolicyEntry& e = c.policy[i];
    uint32_t eo = o + g.policyHeaderSize + uint32_t(i) * g.policyEntrySize;
    std::string n = "entry_policy.entries[" + std::to_string(i) + "].";
    b.number(n + "pcr", eo, 2, e.pcr);
    b.number(n + "entity_type", eo + 2, 2, e.entityType);
    b.number(n + "flags", eo + 4, 2, e.flags);
    b.number(n + "reserved", eo + 6, 2, 0);
    // 2025: u64 size then u64 entity; 2024 (SKL-S): u64 entity then u64 size.
    b.number(n + (v2025 ? "size" : "entity"), eo + 8, 8, v2025 ? e.size : e.entity);
    b.number(n + (v2025 ? "entity" : "size"), eo + 16, 8, v2025 ? e.entity : e.size);
    b.text(n + "evt_info", eo + 24, g.evtInfoSize, e.evtInfo);
  }

  if (v2025) {
    o = off.amdInfo;
    uint32_t amdSize = off.end - off.amdInfo;
    entryHeader(b, g, "amd_info", o, kSlrtTagAmdInfo, amdSize);
    b.number("amd_info.next", o + 8, 8, 0);
    b.number("amd_info.type", o + 16, 4, kSetupSecureLaunch);
    b.number("amd_info.len", o + 20, 4, amdSize);  // GRUB: the whole entry's size
    b.number("amd_info.slrt_size", o + 24, 8, off.size);
    b.number("amd_info.slrt_base", o + 32, 8, c.address);
    b.number("amd_info.boot_params_base", o + 40, 8, c.bootParamsBase);
    if (amdSize > kAmdInfoSizeSklA2024) {  // SKL-A's 2024 entry ends at boot_params_base
      b.number("amd_info.psp_version", o + 48, 2, 0);
      b.number("amd_info.reserved", o + 50, 6, 0);
    }
  }
  entryHeader(b, g, "end", off.end, kSlrtTagEnd, g.endSize);
  return b;
}

}  // namespace dlsim::svm
