#include "svm_model/handoff/handoff_builder.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"
#include "svm_model/handoff/handoff_boot_info.h"
#include "svm_model/handoff/handoff_slrt.h"
#include "svm_model/handoff/handoff_tags.h"
#include "svm_model/slb/slb_header.h"

namespace dlsim::svm {

std::vector<HandoffWrite> Handoff::writes() const {
  std::vector<HandoffWrite> w;
  for (const FieldBlock& b : blocks) w.push_back({b.name(), b.address(), b.bytes()});
  return w;
}

const BlockField* Handoff::field(const std::string& name) const {
  for (const FieldBlock& b : blocks)
    for (const BlockField& f : b.fields())
      if (f.name == name) return &f;
  return nullptr;
}

uint64_t Handoff::fieldAddress(const std::string& name) const {
  for (const FieldBlock& b : blocks)
    for (const BlockField& f : b.fields())
      if (f.name == name) return b.address() + f.offset;
  throw InternalError("hand-off: no field " + name);
}

std::vector<std::string> Handoff::fieldNames() const {
  std::vector<std::string> n;
  for (const FieldBlock& b : blocks)
    for (const BlockField& f : b.fields()) n.push_back(f.name);
  return n;
}

std::vector<HandoffField> Handoff::fields() const {
  std::vector<HandoffField> out;
  for (const FieldBlock& b : blocks)
    for (const BlockField& f : b.fields())
      out.push_back({f.name, b.name(), b.address() + f.offset, f.width, f.text, f.value, f.textValue});
  return out;
}

std::vector<PolicyEntry> defaultPolicy(const HandoffDesc& d, uint64_t slrtAddress, uint64_t amdInfoAddress) {
  std::vector<PolicyEntry> p;
  p.push_back({18, kEntitySlrt, kPolicyMeasured | kPolicyImplicitSize, slrtAddress, 0, "Measured SLR Table"});
  if (d.kernel == KernelKind::Multiboot2) {
    // Not GRUB's (its Multiboot2 path was not read): the MBI, measured like the zero page.
    p.push_back({18, kEntityMultiboot2Info, kPolicyMeasured | kPolicyImplicitSize, d.bootParamsBase, 0,
                 "Measured MB2 information"});
    return p;
  }
  p.push_back({18, kEntityBootParams, kPolicyMeasured, d.bootParamsBase, kZeroPageSize, "Measured boot parameters"});
  if (amdInfoAddress)
    p.push_back({18, kEntitySetupData, kPolicyMeasured | kPolicyImplicitSize, amdInfoAddress + 8, 0,
                 "Measured Kernel setup_data"});
  else
    p.push_back({18, kEntityUnused, 0, 0, 0, "Measured Kernel setup_data"});
  if (!d.cmdline.empty())
    p.push_back({18, kEntityCmdline, kPolicyMeasured, d.bootParamsBase + kZeroPageSize, d.cmdline.size() + 1,
                 "Measured Kernel command line"});
  else
    p.push_back({18, kEntityUnused, 0, 0, 0, "Measured Kernel command line"});
  p.push_back({18, kEntityUnused, 0, 0, 0, "Measured EFI memory map"});
  p.push_back({17, kEntityUnused, 0, 0, 0, "Measured Kernel initrd"});
  return p;
}

namespace {

[[noreturn]] void descFail(const HandoffDesc& d, const std::string& pointer, const std::string& what) {
  throw InputError(d.source + ": " + d.pointer + pointer + ": " + what);
}

void requireU32(const HandoffDesc& d, const std::string& pointer, uint64_t v, const std::string& what) {
  if (v > UINT32_MAX)
    descFail(d, pointer, what + " " + hex(v) + " does not fit the tags2023 tag's 32-bit field");
}

void checkTags2023(const HandoffDesc& d) {
  requireU32(d, "/kernel/entry_offset", d.kernelBase + d.kernelEntryOffset, "the kernel entry address");
  requireU32(d, "/kernel/size", d.kernelSize, "the kernel size");
  requireU32(d, "/event_log/size", d.logSize, "the event log size");
}

// Blocks the builder wrote must not overlap one another (the description
// would then describe two values at one address).
void checkNoOverlap(const HandoffDesc& d, const Handoff& h) {
  for (size_t i = 0; i < h.blocks.size(); ++i)
    for (size_t j = i + 1; j < h.blocks.size(); ++j) {
      const FieldBlock& a = h.blocks[i];
      const FieldBlock& b = h.blocks[j];
      if (a.address() < b.address() + b.size() && b.address() < a.address() + a.size())
        descFail(d, "/boot_params_base",
                 "the " + b.name() + " block [" + hex(b.address()) + ", " + hex(b.address() + b.size()) +
                     ") overlaps the " + a.name() + " block [" + hex(a.address()) + ", " +
                     hex(a.address() + a.size()) + ")");
    }
}

}  // namespace

Handoff buildHandoff(const HandoffDesc& d) {
  validateHandoffDesc(d);
  Handoff h;
  h.bootloaderDataAddress = d.slbBase + d.bootloaderDataOffset;
  h.bootParamsAddress = d.bootParamsBase;
  uint32_t room = kSlbSize - d.bootloaderDataOffset;
  uint64_t amdInfoAddress = 0;

  if (d.layout == SklLayout::Tags2023) {
    checkTags2023(d);
    h.blocks.push_back(encodeSklTags(d, h.bootloaderDataAddress));
  } else {
    SlrtContent c;
    c.layout = d.layout;
    c.address = h.bootloaderDataAddress;
    c.maxSize = room;
    c.dceBase = d.slbBase;
    c.dceSize = kSlbSize;
    c.dlmeBase = d.kernelBase;
    c.dlmeSize = d.kernelSize;
    c.dlmeEntry = d.kernelEntryOffset;
    c.logFormat = handoffLogFormat(d);
    c.logBase = d.logBase;
    c.logSize = d.logSize;
    c.bootParamsBase = d.bootParamsBase;
    // SKL-S and SKL-A's plain-SKINIT build hand bl_context.context to the
    // DLME as its argument (ESI); only SKL-A's AMDSL (PSP) build reads
    // AMD_INFO.boot_params_base. GRUB 2025 puts its own context pointer here,
    // an address in GRUB no model has: the boot parameters make a good
    // description boot with either SKL-A build (docs/skl.md).
    c.blContext = d.bootParamsBase;
    // The policy's size does not depend on the addresses in it.
    uint32_t entries = uint32_t(defaultPolicy(d, 0, 0).size());
    c.amdInfoSize = d.amdInfoSize;
    SlrtOffsets off = slrtOffsets(d.layout, entries, d.amdInfoSize);
    if (d.layout == SklLayout::Slrt2025) amdInfoAddress = c.address + off.amdInfo;
    c.policy = defaultPolicy(d, c.address, amdInfoAddress);
    if (d.layout == SklLayout::Slrt2024 && (d.kernelSize > UINT32_MAX))
      descFail(d, "/kernel/size", "the kernel size " + hex(d.kernelSize) + " does not fit slrt2024's u32 dlme_size");
    h.blocks.push_back(encodeSlrt(c));
  }
  if (h.blocks.back().size() > room)
    descFail(d, "/bootloader_data_offset",
             hex(d.bootloaderDataOffset) + " leaves " + hex(room) + " bytes of the SLB; the " +
                 h.blocks.back().name() + " needs " + hex(h.blocks.back().size()));

  if (d.kernel == KernelKind::Linux) {
    // slrt2025: the zero page's setup_data chain starts at AMD_INFO's setup_data header.
    for (FieldBlock& b : encodeZeroPage(d, amdInfoAddress ? amdInfoAddress + 8 : 0)) h.blocks.push_back(std::move(b));
  } else {
    h.blocks.push_back(encodeMultiboot2Info(d));
  }
  for (const FieldBlock& b : h.blocks)
    if (b.address() + b.size() > 0x100000000ull)
      descFail(d, "/boot_params_base",
               "the " + b.name() + " block ends above 4 GiB (" + hex(b.address() + b.size()) + ")");
  checkNoOverlap(d, h);

  for (const FieldOverride& o : d.overrides) applyOverride(h, o);
  return h;
}

void applyOverride(Handoff& h, const FieldOverride& o) {
  for (FieldBlock& b : h.blocks) {
    BlockField* f = b.find(o.field);
    if (!f) continue;
    if (f->text) {
      const std::string* s = std::get_if<std::string>(&o.value);
      if (!s)
        throw InputError(o.where + ": " + o.field + " is text (char[" + std::to_string(f->width) + "]); give a string");
      if (s->size() > f->width)
        throw InputError(o.where + ": \"" + *s + "\" is longer than " + o.field + "'s " + std::to_string(f->width) +
                         " bytes");
      b.setText(*f, *s);
      return;
    }
    const uint64_t* v = std::get_if<uint64_t>(&o.value);
    if (!v) throw InputError(o.where + ": " + o.field + " is a number; give an integer or a \"0x...\" string");
    if (f->width < 8 && *v >> (8 * f->width))
      throw InputError(o.where + ": " + hex(*v) + " does not fit " + o.field + " (" + std::to_string(f->width) +
                       " bytes)");
    b.setNumber(*f, *v);
    return;
  }
  std::string known;
  for (const FieldBlock& b : h.blocks) known += (known.empty() ? "" : ", ") + b.name();
  throw InputError(o.where + ": no hand-off field named \"" + o.field + "\" (blocks here: " + known +
                   "; docs/skl.md lists the fields)");
}

}  // namespace dlsim::svm
