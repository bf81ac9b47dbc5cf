#include "txt_model/heap/heap_render.h"

#include <sstream>

#include "sim/hex.h"
#include "txt_model/heap/heap_elements.h"

namespace dlsim::txt::heap {
namespace {

using json = nlohmann::ordered_json;

std::string digestHex(const Sha1Digest& d) { return hexBytes(d.data(), d.size()); }

json elementJson(const ExtElement& e) {
  json j;
  j["type"] = elementTypeName(e.type);
  j["size"] = e.size;
  if (auto v = decodeBiosSpecVer(e)) {
    j["major"] = v->major, j["minor"] = v->minor, j["rev"] = v->revision;
  } else if (auto a = decodeAcm(e)) {
    json arr = json::array();
    for (auto x : a->addresses) arr.push_back(hex(x));
    j["acm_addrs"] = arr;
  } else if (auto c = decodeCustom(e)) {
    j["uuid"] = hexBytes(c->uuid.data(), c->uuid.size());
  } else if (auto p = decodeTpmEventLogPtr(e)) {
    j["elog_addr"] = hex(*p);
  } else if (auto p2 = decodeEventLogPointer2(e)) {
    json arr = json::array();
    for (const auto& d : p2->logs)
      arr.push_back({{"alg", hex(d.alg)}, {"phys_addr", hex(d.physAddr)}, {"size", d.size},
                     {"pcr_events_offset", d.firstEventOffset}, {"next_event_offset", d.nextEventOffset}});
    j["logs"] = arr;
  } else if (auto p21 = decodeEventLogPointer2_1(e)) {
    j["phys_addr"] = hex(p21->physAddr);
    j["allocated_event_container_size"] = p21->allocatedSize;
    j["first_record_offset"] = p21->firstRecordOffset;
    j["next_record_offset"] = p21->nextRecordOffset;
  } else if (auto t = decodeTprRequest(e)) {
    json arr = json::array();
    for (const auto& r : t->ranges) arr.push_back({{"base", hex(r.base)}, {"size", hex(r.size)}});
    j["ranges"] = arr;
  }
  return j;
}

json elementsJson(const std::vector<ExtElement>& els) {
  json arr = json::array();
  for (const auto& e : els) arr.push_back(elementJson(e));
  return arr;
}

void elementsText(std::ostringstream& o, const std::vector<ExtElement>& els) {
  o << "\t ext_data_elts[]:\n";
  for (const auto& e : els) {
    if (e.type == uint32_t(ElementType::kEnd)) break;
    o << "\t\t " << elementTypeName(e.type) << ": size: " << e.size << "\n";
    if (auto v = decodeBiosSpecVer(e))
      o << "\t\t     major: " << hex(v->major) << "\n\t\t     minor: " << hex(v->minor) << "\n\t\t     rev: "
        << hex(v->revision) << "\n";
    else if (auto a = decodeAcm(e)) {
      o << "\t\t     num_acms: " << a->addresses.size() << "\n";
      for (size_t i = 0; i < a->addresses.size(); ++i) o << "\t\t     acm_addrs[" << i << "]: " << hex(a->addresses[i]) << "\n";
    } else if (auto c = decodeCustom(e))
      o << "\t\t     uuid: " << hexBytes(c->uuid.data(), c->uuid.size()) << "\n";
    else if (auto p = decodeTpmEventLogPtr(e))
      o << "\t\t  elog_addr: " << hex(*p) << "\n";
    else if (auto p2 = decodeEventLogPointer2(e)) {
      o << "\t\t      count: " << p2->logs.size() << "\n";
      for (const auto& d : p2->logs)
        o << "\t\t\t Alg: " << d.alg << " phys_addr: " << hex(d.physAddr) << " Size: " << d.size << " EventsOffset: ["
          << d.firstEventOffset << "," << d.nextEventOffset << "]\n";
    } else if (auto p21 = decodeEventLogPointer2_1(e))
      o << "\t\t     phys_addr: " << hex(p21->physAddr) << "\n\t\t     allcoated_event_container_size: "
        << p21->allocatedSize << "\n\t\t     EventsOffset: [" << p21->firstRecordOffset << ","
        << p21->nextRecordOffset << "]\n";
    else if (auto t = decodeTprRequest(e))
      for (const auto& r : t->ranges) o << "\t\t     range: " << hex(r.base) << " size " << hex(r.size) << "\n";
  }
}

}  // namespace

std::string capabilityNames(uint32_t c) {
  static const std::pair<uint32_t, const char*> kBits[] = {
      {1u << 0, "rlp_wake_getsec"},      {1u << 1, "rlp_wake_monitor"},   {1u << 2, "ecx_pgtbl"},
      {1u << 3, "stm"},                  {1u << 4, "pcr_map_no_legacy"},  {1u << 5, "pcr_map_da"},
      {1u << 8, "maxphyaddr_supported"}, {1u << 9, "tcg_event_log_format"}, {1u << 10, "cbnt_supported"},
      {1u << 14, "tpr_support"}};
  std::string s;
  for (const auto& [bit, name] : kBits)
    if (c & bit) s += (s.empty() ? "" : " ") + std::string(name);
  if (uint32_t pt = (c >> 6) & 3) s += (s.empty() ? "" : " ") + std::string("platform_type=") + std::to_string(pt);
  return s;
}

std::string renderHeapText(const HeapParse& parsed, uint64_t heapBase) {
  const TxtHeap& h = parsed.heap;
  std::ostringstream o;
  o << "TXT.HEAP.BASE: " << hex(heapBase) << "\nTXT.HEAP.SIZE: " << hex(h.heapSize) << " (" << h.heapSize << ")\n";
  if (h.bios) {
    const auto& b = *h.bios;
    o << "bios_data (@" << hex(heapBase + h.biosExtent->offset + 8) << ", " << hex(h.biosExtent->size) << "):\n"
      << "\t version: " << b.version << "\n\t bios_sinit_size: " << hex(b.biosSinitSize) << " (" << b.biosSinitSize
      << ")\n\t lcp_pd_base: " << hex(b.lcpPdBase) << "\n\t lcp_pd_size: " << hex(b.lcpPdSize) << " (" << b.lcpPdSize
      << ")\n\t num_logical_procs: " << b.numLogicalProcs << "\n";
    if (b.version >= 3) o << "\t flags: " << hex((uint64_t(b.mleFlags) << 32) | b.sinitFlags) << "\n";
    if (!b.elements.empty()) elementsText(o, b.elements);
  }
  if (h.osMle) {
    const auto& m = *h.osMle;
    o << "os_mle_data (@" << hex(heapBase + h.osMleExtent->offset + 8) << ", " << hex(h.osMleExtent->size) << "):\n";
    if (m.version) o << "\t version: " << *m.version << "\n";
    if (m.tboot) o << "\t loader context addr: " << hex(m.tboot->loaderContextAddr) << "\n";
    if (m.linuxSl)
      o << "\t boot_params_addr: " << hex(m.linuxSl->bootParamsAddr) << "\n\t slrt: " << hex(m.linuxSl->slrt)
        << "\n\t txt_info: " << hex(m.linuxSl->txtInfo) << "\n\t ap_wake_block: " << hex(m.linuxSl->apWakeBlock)
        << "\n\t ap_wake_block_size: " << hex(m.linuxSl->apWakeBlockSize) << "\n";
  }
  if (h.osSinit) {
    const auto& s = *h.osSinit;
    o << "os_sinit_data (@" << hex(heapBase + h.osSinitExtent->offset + 8) << ", " << hex(h.osSinitExtent->size)
      << "):\n\t version: " << s.version << "\n\t flags: " << s.flags << "\n\t mle_ptab: " << hex(s.mlePageTableBase)
      << "\n\t mle_size: " << hex(s.mleSize) << " (" << s.mleSize << ")\n\t mle_hdr_base: " << hex(s.mleHeaderBase)
      << "\n\t vtd_pmr_lo_base: " << hex(s.pmrLowBase) << "\n\t vtd_pmr_lo_size: " << hex(s.pmrLowSize)
      << "\n\t vtd_pmr_hi_base: " << hex(s.pmrHighBase) << "\n\t vtd_pmr_hi_size: " << hex(s.pmrHighSize)
      << "\n\t lcp_po_base: " << hex(s.lcpPoBase) << "\n\t lcp_po_size: " << hex(s.lcpPoSize) << " (" << s.lcpPoSize
      << ")\n\t capabilities: " << hex(s.capabilities) << " (" << capabilityNames(s.capabilities) << ")\n";
    if (s.version >= 5) o << "\t efi_rsdt_ptr: " << hex(s.rsdp) << "\n";
    if (s.version >= 6) elementsText(o, s.elements);
  }
  if (h.sinitMle) {
    const auto& s = *h.sinitMle;
    o << "sinit_mle_data (@" << hex(heapBase + h.sinitMleExtent->offset + 8) << ", " << hex(h.sinitMleExtent->size)
      << "):\n\t version: " << s.version << "\n\t bios_acm_id: " << digestHex(s.biosAcmId)
      << "\n\t edx_senter_flags: " << hex(s.edxSenterFlags) << "\n\t mseg_valid: " << hex(s.msegValid)
      << "\n\t sinit_hash: " << digestHex(s.sinitHash) << "\n\t mle_hash: " << digestHex(s.mleHash)
      << "\n\t stm_hash: " << digestHex(s.stmHash) << "\n\t lcp_policy_hash: " << digestHex(s.lcpPolicyHash)
      << "\n\t lcp_policy_control: " << hex(s.lcpPolicyControl) << "\n\t rlp_wakeup_addr: " << hex(s.rlpWakeupAddr)
      << "\n\t num_mdrs: " << s.numMdrs << "\n\t mdrs_off: " << hex(s.mdrTableOffset)
      << "\n\t num_vtd_dmars: " << s.dmarSize << "\n\t vtd_dmars_off: " << hex(s.dmarOffset) << "\n\t sinit_mdrs:\n";
    for (const auto& m : s.mdrs)
      o << "\t\t " << hex(m.base) << " - " << hex(m.base + m.length) << " (" << mdrTypeName(m.type) << ")\n";
    if (s.version >= 8) o << "\t proc_scrtm_status: " << hex(s.processorScrtmStatus) << "\n";
    if (s.version >= 9) elementsText(o, s.elements);
  }
  for (const auto& f : parsed.failures) o << "heap failure: " << f.name() << " at " << hex(f.heapOffset) << ": " << f.detail << "\n";
  return o.str();
}

json renderHeapJson(const HeapParse& parsed, uint64_t heapBase) {
  const TxtHeap& h = parsed.heap;
  json j;
  j["heap_base"] = hex(heapBase);
  j["heap_size"] = hex(h.heapSize);
  auto placed = [&](const std::optional<TableExtent>& e, json& t) {
    t["address"] = hex(heapBase + e->offset + 8);
    t["size"] = hex(e->size);
  };
  json bios = nullptr, osMle = nullptr, osSinit = nullptr, sinitMle = nullptr;
  if (h.bios) {
    const auto& b = *h.bios;
    bios = json::object();
    placed(h.biosExtent, bios);
    bios["version"] = b.version;
    bios["bios_sinit_size"] = hex(b.biosSinitSize);
    bios["lcp_pd_base"] = hex(b.lcpPdBase);
    bios["lcp_pd_size"] = hex(b.lcpPdSize);
    bios["num_logical_procs"] = b.numLogicalProcs;
    bios["sinit_flags"] = hex(b.sinitFlags);
    bios["mle_flags"] = hex(b.mleFlags);
    bios["ext_data_elts"] = elementsJson(b.elements);
  }
  if (h.osMle) {
    const auto& m = *h.osMle;
    osMle = json::object();
    placed(h.osMleExtent, osMle);
    osMle["version"] = m.version ? json(*m.version) : json(nullptr);
    osMle["layout"] = m.tboot ? "tboot" : m.linuxSl ? "linux-secure-launch" : "unknown";
    if (m.tboot) {
      osMle["loader_context_addr"] = hex(m.tboot->loaderContextAddr);
      osMle["saved_misc_enable"] = hex(m.tboot->savedMiscEnable);
      osMle["mtrr_def_type"] = hex(m.tboot->mtrrDefType);
      osMle["num_var_mtrrs"] = m.tboot->numVarMtrrs;
    }
    if (m.linuxSl) {
      osMle["boot_params_addr"] = hex(m.linuxSl->bootParamsAddr);
      osMle["slrt"] = hex(m.linuxSl->slrt);
      osMle["txt_info"] = hex(m.linuxSl->txtInfo);
      osMle["ap_wake_block"] = hex(m.linuxSl->apWakeBlock);
      osMle["ap_wake_block_size"] = hex(m.linuxSl->apWakeBlockSize);
    }
  }
  if (h.osSinit) {
    const auto& s = *h.osSinit;
    osSinit = json::object();
    placed(h.osSinitExtent, osSinit);
    osSinit["version"] = s.version;
    osSinit["flags"] = hex(s.flags);
    osSinit["mle_ptab"] = hex(s.mlePageTableBase);
    osSinit["mle_size"] = hex(s.mleSize);
    osSinit["mle_hdr_base"] = hex(s.mleHeaderBase);
    osSinit["vtd_pmr_lo_base"] = hex(s.pmrLowBase);
    osSinit["vtd_pmr_lo_size"] = hex(s.pmrLowSize);
    osSinit["vtd_pmr_hi_base"] = hex(s.pmrHighBase);
    osSinit["vtd_pmr_hi_size"] = hex(s.pmrHighSize);
    osSinit["lcp_po_base"] = hex(s.lcpPoBase);
    osSinit["lcp_po_size"] = hex(s.lcpPoSize);
    osSinit["capabilities"] = hex(s.capabilities);
    osSinit["capability_names"] = capabilityNames(s.capabilities);
    osSinit["efi_rsdt_ptr"] = hex(s.rsdp);
    osSinit["ext_data_elts"] = elementsJson(s.elements);
  }
  if (h.sinitMle) {
    const auto& s = *h.sinitMle;
    sinitMle = json::object();
    placed(h.sinitMleExtent, sinitMle);
    sinitMle["version"] = s.version;
    sinitMle["bios_acm_id"] = digestHex(s.biosAcmId);
    sinitMle["edx_senter_flags"] = hex(s.edxSenterFlags);
    sinitMle["mseg_valid"] = hex(s.msegValid);
    sinitMle["sinit_hash"] = digestHex(s.sinitHash);
    sinitMle["mle_hash"] = digestHex(s.mleHash);
    sinitMle["stm_hash"] = digestHex(s.stmHash);
    sinitMle["lcp_policy_hash"] = digestHex(s.lcpPolicyHash);
    sinitMle["lcp_policy_control"] = hex(s.lcpPolicyControl);
    sinitMle["rlp_wakeup_addr"] = hex(s.rlpWakeupAddr);
    sinitMle["num_mdrs"] = s.numMdrs;
    sinitMle["mdrs_off"] = hex(s.mdrTableOffset);
    sinitMle["num_vtd_dmars"] = s.dmarSize;
    sinitMle["vtd_dmars_off"] = hex(s.dmarOffset);
    json mdrs = json::array();
    for (const auto& m : s.mdrs)
      mdrs.push_back({{"base", hex(m.base)}, {"length", hex(m.length)}, {"type", mdrTypeName(m.type)}});
    sinitMle["sinit_mdrs"] = mdrs;
    sinitMle["proc_scrtm_status"] = hex(s.processorScrtmStatus);
    sinitMle["ext_data_elts"] = elementsJson(s.elements);
  }
  j["bios_data"] = bios;
  j["os_mle_data"] = osMle;
  j["os_sinit_data"] = osSinit;
  j["sinit_mle_data"] = sinitMle;
  json fails = json::array();
  for (const auto& f : parsed.failures) fails.push_back({{"rule", f.name()}, {"detail", f.detail}, {"offset", hex(f.heapOffset)}});
  j["failures"] = fails;
  return j;
}

}  // namespace dlsim::txt::heap
