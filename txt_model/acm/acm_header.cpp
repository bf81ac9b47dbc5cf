// Bounded parsing of the ACM header (acm_header.h).
#include "txt_model/acm/acm_header.h"

#include "sim/hex.h"
#include "sim/le_reader.h"

namespace dlsim::txt {

AcmHeader parseAcmHeader(std::span<const uint8_t> bytes, const std::string& source) {
  LeReader r(bytes, source);
  AcmHeader h;
  h.moduleType = r.u16(acm_off::kModuleType, "ModuleType");
  h.moduleSubType = r.u16(acm_off::kModuleSubType, "ModuleSubType");
  h.headerLen = r.u32(acm_off::kHeaderLen, "HeaderLen");
  h.headerVersion = r.u32(acm_off::kHeaderVersion, "HeaderVersion");
  h.chipsetId = r.u16(acm_off::kChipsetId, "ChipsetID");
  h.flags = r.u16(acm_off::kFlags, "Flags");
  h.moduleVendor = r.u32(acm_off::kModuleVendor, "ModuleVendor");
  h.date = r.u32(acm_off::kDate, "Date");
  h.size = r.u32(acm_off::kSize, "Size");
  h.txtSvn = r.u16(acm_off::kTxtSvn, "TxtSvn");
  h.seSvn = r.u16(acm_off::kSeSvn, "SeSvn");
  h.codeControl = r.u32(acm_off::kCodeControl, "CodeControl");
  h.errorEntryPoint = r.u32(acm_off::kErrorEntryPoint, "ErrorEntryPoint");
  h.gdtLimit = r.u32(acm_off::kGdtLimit, "GDTLimit");
  h.gdtBasePtr = r.u32(acm_off::kGdtBasePtr, "GDTBasePtr");
  h.segSel = r.u32(acm_off::kSegSel, "SegSel");
  h.entryPoint = r.u32(acm_off::kEntryPoint, "EntryPoint");
  h.keySize = r.u32(acm_off::kKeySize, "KeySize");
  h.scratchSize = r.u32(acm_off::kScratchSize, "ScratchSize");

  if (h.sizeBytes() > bytes.size())
    r.fail("Size at offset 0x18 (" + hex(h.size) + " dwords = " + hex(h.sizeBytes()) +
           " bytes) is larger than the module (" + hex(bytes.size()) + " bytes)");
  if (h.keySize != 64 && h.keySize != 96)
    r.fail("KeySize at offset 0x78 is " + hex(h.keySize) + " dwords; RSA keys are 64 (2048-bit) or 96 (3072-bit)");
  // The key, exponent (v0.0) and signature sit between 0x80 and HeaderLen*4;
  // the scratch area follows; the module ends at Size*4.
  uint64_t keyBytes = uint64_t{h.keySize} * 4;
  h.hasExponent = h.headerVersion < kAcmHeaderVersion3;
  uint64_t sigOff = acm_off::kRsaKey + keyBytes + (h.hasExponent ? 4 : 0);
  uint64_t sigEnd = sigOff + keyBytes;
  if (uint64_t{h.headerLen} * 4 < sigEnd)
    r.fail("HeaderLen at offset 0x4 (" + hex(h.headerLen) + " dwords) is shorter than the key and signature (" +
           hex(sigEnd) + " bytes)");
  if (h.userAreaOffset() > h.sizeBytes())
    r.fail("HeaderLen + ScratchSize (" + hex(h.userAreaOffset()) + " bytes) is beyond Size*4 (" +
           hex(h.sizeBytes()) + ")");
  auto key = r.bytes(acm_off::kRsaKey, keyBytes, "RSAPublicKey");
  h.rsaPublicKey.assign(key.begin(), key.end());
  if (h.hasExponent) h.rsaExponent = r.u32(acm_off::kRsaKey + keyBytes, "RSAPublicExponent");
  auto sig = r.bytes(sigOff, keyBytes, "RSASignature");
  h.rsaSignature.assign(sig.begin(), sig.end());
  return h;
}

}  // namespace dlsim::txt
