// libFuzzer target: the ACM parsers (txt_model/acm) on untrusted bytes.
// Byte 0 picks the entry point (0: parseAcmModule, 1: parseAcmHeader), the
// rest is the module. Each must return or throw dlsim::InputError; anything
// else is a finding. A parsed module is then used as `dlsim acminfo` and
// the pre-launch checks use it (report with the digest, tboot's checks
// against a shipped profile), and what the parser promises is checked:
// Size*4 fits the input, the user area lies inside Size*4, every list
// entry it returned lies inside Size*4, and a second parse is identical.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>

#include "fuzz/fuzz_check.h"
#include "sim/errors.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_prelaunch_checks.h"
#include "txt_model/acm/acm_report.h"
#include "txt_model/profiles/txt_profile.h"

namespace {

using namespace dlsim::txt;
using dlsim::fuzz::require;

const TxtProfile& platform() {
  static const TxtProfile p = findTxtProfile("cfl-client-tpm2");
  return p;
}

void checkHeader(const AcmHeader& h, std::span<const uint8_t> b) {
  require(h.sizeBytes() <= b.size(), "Size*4 beyond the input");
  require(h.userAreaOffset() <= h.sizeBytes(), "user area beyond Size*4");
  require(h.rsaPublicKey.size() == uint64_t{h.keySize} * 4, "key length differs from KeySize");
  require(h.rsaSignature.size() == h.rsaPublicKey.size(), "signature length differs from the key's");
}

void use(std::span<const uint8_t> b) {
  AcmModule m = parseAcmModule(b, "fuzz");
  checkHeader(m.header, b);
  const uint64_t size = m.header.sizeBytes();
  require(uint64_t{m.info.chipsetIdList} + 4 + m.chipsetIds.size() * uint64_t{kAcmChipsetIdSize} <= size,
          "chipset list beyond Size*4");
  if (m.info.version >= 4)
    require(uint64_t{m.info.processorIdList} + 4 + m.processorIds.size() * uint64_t{kAcmProcessorIdSize} <= size,
            "processor list beyond Size*4");
  else
    require(m.processorIds.empty(), "processor list before info table version 4");
  if (m.tpmInfo) require(uint64_t{m.info.tpmInfoList} + 6 + 2 * m.tpmInfo->algorithms.size() <= size,
                         "TPM list beyond Size*4");
  require(m.tpmInfo.has_value() == (m.info.version >= 5), "TPM list presence differs from the table version");
  auto input = acmDigestInput(b, m.header);
  require(input.size() == 0x80 + (size - m.header.userAreaOffset()), "digest input length");
  (void)renderAcmReport(m, b, "fuzz");
  (void)preLaunchSinitProblems(m, b.size(), platform());
  AcmModule again = parseAcmModule(b, "fuzz");
  require(again.chipsetIds.size() == m.chipsetIds.size() && again.info.capabilities == m.info.capabilities,
          "a second parse differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> b(data + 1, size - 1);
  try {
    if (data[0] % 2 == 0) use(b);
    else checkHeader(parseAcmHeader(b, "fuzz"), b);
  } catch (const dlsim::InputError&) {
    // rejected with the documented error: fine
  } catch (const std::exception& e) {
    dlsim::fuzz::fail(std::string("exception other than InputError: ") + e.what());
  } catch (...) {
    dlsim::fuzz::fail("non-standard exception");
  }
  return 0;
}
