// ACM report text (acm_report.h).
#include "txt_model/acm/acm_report.h"

#include <cstdio>

#include "sim/hex.h"
#include "txt_model/acm/acm_digest.h"

namespace dlsim::txt {
namespace {

std::string fmt(const char* f, uint64_t a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, static_cast<unsigned long long>(a));
  return buf;
}

}  // namespace

std::string renderAcmReport(const AcmModule& m, std::span<const uint8_t> bytes, const std::string& name) {
  const AcmHeader& h = m.header;
  const AcmInfoTable& i = m.info;
  std::string o = "ACM header of " + name + ":\n";
  o += "\t type: " + hex(h.moduleType) + (h.moduleType == kAcmTypeChipset ? " (ACM_TYPE_CHIPSET)\n" : " (unknown)\n");
  o += "\t subtype: " + hex(h.moduleSubType) + "\n";
  o += "\t length: " + hex(h.headerLen) + " (" + std::to_string(h.headerLen) + ")\n";
  o += "\t version: " + std::to_string(h.headerVersion) + "\n";
  o += "\t chipset_id: " + hex(h.chipsetId) + "\n";
  o += "\t flags: " + hex(h.flags) + "\n";
  o += "\t\t pre_production: " + std::to_string(h.preProduction()) + "\n";
  o += "\t\t debug_signed: " + std::to_string(h.debugSigned()) + "\n";
  o += "\t vendor: " + hex(h.moduleVendor) + "\n";
  o += "\t date: " + fmt("0x%08llx", h.date) + "\n";
  o += "\t size*4: " + hex(h.sizeBytes()) + " (" + std::to_string(h.sizeBytes()) + ")\n";
  o += "\t txt_svn: " + fmt("0x%08llx", h.txtSvn) + "\n";
  o += "\t se_svn: " + fmt("0x%08llx", h.seSvn) + "\n";
  o += "\t code_control: " + hex(h.codeControl) + "\n";
  o += "\t entry point: " + fmt("0x%08llx", h.segSel) + ":" + fmt("%08llx", h.entryPoint) + "\n";
  o += "\t gdt: base " + hex(h.gdtBasePtr) + ", limit " + hex(h.gdtLimit) + "\n";
  o += "\t scratch_size: " + hex(h.scratchSize) + " (" + std::to_string(h.scratchSize) + ")\n";
  o += "\t info_table:\n";
  o += "\t\t uuid: " + hexBytes(i.uuid) + (i.uuidValid() ? " (ACM_UUID_V3)\n" : " (unknown)\n");
  const char* type = i.chipsetAcmType == kAcmChipsetTypeSinit             ? " (SINIT)"
                     : i.chipsetAcmType == kAcmChipsetTypeBios            ? " (BIOS)"
                     : i.chipsetAcmType == kAcmChipsetTypeBiosRevocation  ? " (BIOS revocation)"
                     : i.chipsetAcmType == kAcmChipsetTypeSinitRevocation ? " (SINIT revocation)"
                                                                          : " (unknown)";
  o += "\t\t chipset_acm_type: " + hex(i.chipsetAcmType) + type + "\n";
  o += "\t\t version: " + std::to_string(i.version) + "\n";
  o += "\t\t length: " + hex(i.length) + " (" + std::to_string(i.length) + ")\n";
  o += "\t\t chipset_id_list: " + hex(i.chipsetIdList) + "\n";
  o += "\t\t os_sinit_data_ver: " + hex(i.osSinitDataVersion) + "\n";
  o += "\t\t min_mle_hdr_ver: " + fmt("0x%08llx", i.minMleHeaderVersion) + "\n";
  o += "\t\t capabilities: " + fmt("0x%08llx", i.capabilities) + "\n";
  uint32_t c = i.capabilities;
  o += "\t\t     rlp_wake_getsec: " + std::to_string(c & 1) + "\n";
  o += "\t\t     rlp_wake_monitor: " + std::to_string((c >> 1) & 1) + "\n";
  o += "\t\t     ecx_pgtbl: " + std::to_string((c >> 2) & 1) + "\n";
  o += "\t\t     stm: " + std::to_string((c >> 3) & 1) + "\n";
  o += "\t\t     pcr_map_no_legacy: " + std::to_string((c >> 4) & 1) + "\n";
  o += "\t\t     pcr_map_da: " + std::to_string((c >> 5) & 1) + "\n";
  o += "\t\t     platform_type: " + std::to_string((c >> 6) & 3) + "\n";
  o += "\t\t     max_phy_addr: " + std::to_string((c >> 8) & 1) + "\n";
  o += "\t\t     tcg_event_log_format: " + std::to_string((c >> 9) & 1) + "\n";
  o += "\t\t     cbnt_supported: " + std::to_string((c >> 10) & 1) + "\n";
  o += "\t\t acm_ver: " + std::to_string(i.acmVersion) + "\n";
  if (i.version > 6)
    o += "\t\t acm_revision: " + fmt("%llx", i.acmRevision[0]) + "." + fmt("%llx", i.acmRevision[1]) + "." +
         fmt("%llx", i.acmRevision[2]) + "\n";
  o += "\t chipset list:\n\t\t count: " + std::to_string(m.chipsetIds.size()) + "\n";
  for (size_t k = 0; k < m.chipsetIds.size(); ++k) {
    const AcmChipsetId& e = m.chipsetIds[k];
    o += "\t\t entry " + std::to_string(k) + ":\n";
    o += "\t\t     flags: " + hex(e.flags) + "\n\t\t     vendor_id: " + hex(e.vendorId) +
         "\n\t\t     device_id: " + hex(e.deviceId) + "\n\t\t     revision_id: " + hex(e.revisionId) +
         "\n\t\t     extended_id: " + hex(e.extendedId) + "\n";
  }
  if (i.version >= 4) {
    o += "\t processor list:\n\t\t count: " + std::to_string(m.processorIds.size()) + "\n";
    for (size_t k = 0; k < m.processorIds.size(); ++k) {
      const AcmProcessorId& e = m.processorIds[k];
      o += "\t\t entry " + std::to_string(k) + ":\n";
      o += "\t\t     fms: " + hex(e.fms) + "\n\t\t     fms_mask: " + hex(e.fmsMask) +
           "\n\t\t     platform_id: " + hex(e.platformId) + "\n\t\t     platform_mask: " + hex(e.platformMask) +
           "\n";
    }
  }
  if (m.tpmInfo) {
    uint32_t t = m.tpmInfo->capabilities;
    o += "\t TPM info list:\n\t\t TPM capability:\n";
    o += "\t\t      ext_policy: " + hex(t & 3) + "\n\t\t      tpm_family : " + hex((t >> 2) & 0xF) +
         "\n\t\t      tpm_nv_index_set : " + hex((t >> 6) & 1) + "\n";
    o += "\t\t alg count: " + std::to_string(m.tpmInfo->algorithms.size()) + "\n";
    for (uint16_t a : m.tpmInfo->algorithms) o += "\t\t     alg_id: " + hex(a) + "\n";
  }
  if (i.version >= 9) o += "\t (information table version 9 tagged lists: not parsed)\n";
  o += "signature information:\n";
  o += "\t key size*4: " + hex(uint64_t{h.keySize} * 4) + "\n";
  if (h.hasExponent) o += "\t RSA public key exponent: " + fmt("0x%08llx", h.rsaExponent) + "\n";
  o += "ACM digest (SHA-256 of 0x00-0x7f and the user area from " + hex(h.userAreaOffset()) +
       "): " + hexBytes(acmDigest(bytes, h, "SHA-256")) + "\n";
  return o;
}

}  // namespace dlsim::txt
