// Hand-built TPM 2.0 commands (layouts: TPM 2.0 Library Part 3) that
// provision an engine before the guest runs (see tpm_provision.h).
#include "tpm_model/platform/tpm_provision.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {

constexpr uint16_t kTagNoSessions = 0x8001, kTagSessions = 0x8002;
constexpr uint32_t kRhOwner = 0x40000001, kRhPlatform = 0x4000000C, kPasswordSession = 0x40000009;
constexpr uint32_t kCcStartup = 0x144, kCcShutdown = 0x145, kCcPcrAllocate = 0x12B, kCcNvDefineSpace = 0x12A,
                   kCcNvWrite = 0x137;
constexpr uint16_t kSuClear = 0x0000;
constexpr uint16_t kAlgSha256 = 0x000B;
constexpr size_t kNvWriteChunk = 512;  // below every TPM's MAX_NV_BUFFER_SIZE
// TPMA_NV bits.
constexpr uint32_t kPpWrite = 1u << 0, kOwnerWrite = 1u << 1, kAuthWrite = 1u << 2, kPlatformCreate = 1u << 30;

class Command {
 public:
  Command(uint16_t tag, uint32_t cc) {
    u16(tag);
    u32(0);  // size, patched in bytes()
    u32(cc);
  }
  void u8(uint8_t v) { b_.push_back(v); }
  void u16(uint16_t v) {
    u8(uint8_t(v >> 8));
    u8(uint8_t(v));
  }
  void u32(uint32_t v) {
    u16(uint16_t(v >> 16));
    u16(uint16_t(v));
  }
  void raw(const uint8_t* p, size_t n) { b_.insert(b_.end(), p, p + n); }
  // An authorization area with one empty password session.
  void passwordAuth() {
    u32(9);
    u32(kPasswordSession);
    u16(0);  // nonce
    u8(0);   // attributes
    u16(0);  // hmac (password)
  }
  std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> out = b_;
    uint32_t n = uint32_t(out.size());
    out[2] = uint8_t(n >> 24);
    out[3] = uint8_t(n >> 16);
    out[4] = uint8_t(n >> 8);
    out[5] = uint8_t(n);
    return out;
  }

 private:
  std::vector<uint8_t> b_;
};

uint32_t rcOf(const std::vector<uint8_t>& rsp) {
  if (rsp.size() < 10) return 0xFFFFFFFF;
  return uint32_t(rsp[6]) << 24 | uint32_t(rsp[7]) << 16 | uint32_t(rsp[8]) << 8 | rsp[9];
}

std::vector<uint8_t> run(tpm::TpmEngine& engine, const Command& c, const std::string& what, const std::string& source) {
  std::vector<uint8_t> cmd = c.bytes();
  std::vector<uint8_t> rsp = engine.execute(0, cmd);
  uint32_t rc = rcOf(rsp);
  if (rc != 0) throw InputError(source + ": /tpm: the " + engine.name() + " engine refused " + what + " (TPM_RC " + hex(rc) + ")");
  return rsp;
}

void allocateBanks(tpm::TpmEngine& engine, const std::vector<uint16_t>& banks, const std::string& source) {
  std::vector<uint16_t> all = libtpmsPcrHashes();
  for (uint16_t b : banks)
    if (std::find(all.begin(), all.end(), b) == all.end()) all.push_back(b);
  Command c(kTagSessions, kCcPcrAllocate);
  c.u32(kRhPlatform);
  c.passwordAuth();
  c.u32(uint32_t(all.size()));
  for (uint16_t alg : all) {
    bool on = std::find(banks.begin(), banks.end(), alg) != banks.end();
    c.u16(alg);
    c.u8(3);  // sizeofSelect: PCR 0-23
    for (int i = 0; i < 3; ++i) c.u8(on ? 0xFF : 0x00);
  }
  std::vector<uint8_t> rsp = run(engine, c, "TPM2_PCR_Allocate of the banks in /tpm/banks", source);
  // Response parameters after the 10-byte header and parameterSize: allocationSuccess first.
  if (rsp.size() < 15 || rsp[14] != 1)
    throw InputError(source + ": /tpm/banks: the " + engine.name() + " engine did not accept this PCR allocation");
}

void defineNv(tpm::TpmEngine& engine, const TpmNvSpec& n, size_t i, const std::string& source) {
  const std::string where = "/tpm/nv/" + std::to_string(i);
  const uint32_t owner = (n.attributes & kPlatformCreate) ? kRhPlatform : kRhOwner;
  Command d(kTagSessions, kCcNvDefineSpace);
  d.u32(owner);
  d.passwordAuth();
  d.u16(0);  // auth: empty
  d.u16(uint16_t(4 + 2 + 4 + 2 + 2));  // TPMS_NV_PUBLIC size
  d.u32(n.index);
  d.u16(kAlgSha256);
  d.u32(n.attributes);
  d.u16(0);  // authPolicy: empty
  d.u16(uint16_t(n.data.size()));
  run(engine, d, "TPM2_NV_DefineSpace for " + where, source);
  if (!n.written) return;
  uint32_t writer = (n.attributes & kPpWrite) ? kRhPlatform : (n.attributes & kOwnerWrite) ? kRhOwner
                                                             : (n.attributes & kAuthWrite) ? n.index
                                                                                           : 0;
  if (writer == 0)
    throw InputError(source + ": " + where + "/attributes: data is given but no PPWRITE, OWNERWRITE or AUTHWRITE "
                     "lets it be written");
  for (size_t off = 0; off < n.data.size(); off += kNvWriteChunk) {
    size_t len = std::min(kNvWriteChunk, n.data.size() - off);
    Command w(kTagSessions, kCcNvWrite);
    w.u32(writer);
    w.u32(n.index);
    w.passwordAuth();
    w.u16(uint16_t(len));
    w.raw(n.data.data() + off, len);
    w.u16(uint16_t(off));
    run(engine, w, "TPM2_NV_Write for " + where, source);
  }
}

}  // namespace

const std::vector<uint16_t>& libtpmsPcrHashes() {
  static const std::vector<uint16_t> v = {0x0004, 0x000B, 0x000C, 0x000D};
  return v;
}

void provisionByCommands(tpm::TpmEngine& engine, const std::vector<uint16_t>* banks,
                         const std::vector<std::pair<size_t, TpmNvSpec>>& nv, const std::string& source) {
  Command startup(kTagNoSessions, kCcStartup);
  startup.u16(kSuClear);
  run(engine, startup, "TPM2_Startup(CLEAR) before provisioning", source);
  if (banks) allocateBanks(engine, *banks, source);
  for (const auto& [i, n] : nv) defineNv(engine, n, i, source);
  Command shutdown(kTagNoSessions, kCcShutdown);
  shutdown.u16(kSuClear);
  run(engine, shutdown, "TPM2_Shutdown(CLEAR) after provisioning", source);
  engine.powerOn();  // _TPM_Init: the allocation takes effect; the guest sends Startup
}

void firmwareStartupClear(tpm::TpmEngine& engine, const std::string& source) {
  Command startup(kTagNoSessions, kCcStartup);
  startup.u16(kSuClear);
  run(engine, startup, "the firmware's TPM2_Startup(CLEAR) (tpm.startup \"clear\")", source);
}

}  // namespace dlsim
