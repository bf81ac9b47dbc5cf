// LibtpmsEngine: drives libtpms through TPMLIB_Process and the TPM_IO_Hash_*
// indications; NV "files" live in a std::map owned by the engine.
#include "tpm_model/libtpms_engine.h"

#include <cstdlib>
#include <cstring>

extern "C" {
#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <libtpms/tpm_memory.h>
#include <libtpms/tpm_tis.h>
}

#include "sim/errors.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

LibtpmsEngine* g_engine = nullptr;

TPM_RESULT cbNvramInit() { return TPM_SUCCESS; }

TPM_RESULT cbLoad(unsigned char** data, uint32_t* length, uint32_t, const char* name) {
  if (!g_engine) return TPM_FAIL;
  auto& files = g_engine->nvFiles();
  auto it = files.find(name);
  if (it == files.end()) return TPM_RETRY;  // "absent": libtpms then manufactures
  if (TPM_Malloc(data, static_cast<uint32_t>(it->second.size() ? it->second.size() : 1)) !=
      TPM_SUCCESS)
    return TPM_FAIL;
  if (!it->second.empty()) std::memcpy(*data, it->second.data(), it->second.size());
  *length = static_cast<uint32_t>(it->second.size());
  return TPM_SUCCESS;
}

TPM_RESULT cbStore(const unsigned char* data, uint32_t length, uint32_t, const char* name) {
  if (!g_engine) return TPM_FAIL;
  g_engine->nvFiles()[name].assign(data, data + length);
  return TPM_SUCCESS;
}

TPM_RESULT cbDelete(uint32_t, const char* name, TPM_BOOL mustExist) {
  if (!g_engine) return TPM_FAIL;
  auto n = g_engine->nvFiles().erase(name);
  return (n == 0 && mustExist) ? TPM_FAIL : TPM_SUCCESS;
}

TPM_RESULT cbIoInit() { return TPM_SUCCESS; }

TPM_RESULT cbLocality(TPM_MODIFIER_INDICATOR* loc, uint32_t) {
  *loc = g_engine ? g_engine->currentLocality() : 0;
  return TPM_SUCCESS;
}

TPM_RESULT cbPhysicalPresence(TPM_BOOL* pp, uint32_t) {
  *pp = 0;
  return TPM_SUCCESS;
}

void put16(std::vector<uint8_t>& v, uint16_t x) {
  v.push_back(uint8_t(x >> 8));
  v.push_back(uint8_t(x));
}
void put32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(x >> s));
}

}  // namespace

LibtpmsEngine::LibtpmsEngine(uint64_t rngSeed) : rng_(rngSeed) {
  if (g_engine)
    throw InternalError("tpm: only one libtpms engine may exist per process (libtpms state is global)");
  g_engine = this;
  try {
    start();
    // TPMEstablished lives outside libtpms' state blobs and survives
    // Terminate: clear it so this engine starts as a new TPM.
    locality_ = 4;
    TPM_IO_TpmEstablished_Reset();
    locality_ = 0;
  } catch (...) {
    g_engine = nullptr;
    throw;
  }
}

LibtpmsEngine::~LibtpmsEngine() {
  stop();
  g_engine = nullptr;
}

void LibtpmsEngine::registerWithLibtpms() {
  static libtpms_callbacks cbs = {};
  cbs.sizeOfStruct = sizeof(cbs);
  cbs.tpm_nvram_init = cbNvramInit;
  cbs.tpm_nvram_loaddata = cbLoad;
  cbs.tpm_nvram_storedata = cbStore;
  cbs.tpm_nvram_deletename = cbDelete;
  cbs.tpm_io_init = cbIoInit;
  cbs.tpm_io_getlocality = cbLocality;
  cbs.tpm_io_getphysicalpresence = cbPhysicalPresence;
  if (TPMLIB_RegisterCallbacks(&cbs) != TPM_SUCCESS)
    throw InternalError("tpm: TPMLIB_RegisterCallbacks failed");
  if (TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS)
    throw InternalError("tpm: TPMLIB_ChooseTPMVersion(2) failed");
}

void LibtpmsEngine::start() {
  registerWithLibtpms();
  // Volatile state would let libtpms resume a started TPM: a power cycle
  // must not see it.
  nv_.erase("volatilestate");
  TPM_RESULT r = TPMLIB_MainInit();
  if (r != TPM_SUCCESS) throw InternalError("tpm: TPMLIB_MainInit failed with " + std::to_string(r));
  running_ = true;
  hashOpen_ = false;
}

void LibtpmsEngine::stop() {
  if (running_) TPMLIB_Terminate();
  running_ = false;
}

void LibtpmsEngine::powerOn() {
  stop();
  start();
}

std::vector<uint8_t> LibtpmsEngine::execute(uint8_t locality, std::span<const uint8_t> command) {
  locality_ = locality;
  hashOpen_ = false;  // any command ends an open hash sequence
  unsigned char* resp = nullptr;
  uint32_t respSize = 0, respBufSize = 0;
  // One spare byte: libtpms wants a non-null buffer even for size 0.
  std::vector<uint8_t> cmd(command.size() + 1, 0);
  if (!command.empty()) std::memcpy(cmd.data(), command.data(), command.size());
  TPM_RESULT r = TPMLIB_Process(&resp, &respSize, &respBufSize, cmd.data(),
                                static_cast<uint32_t>(command.size()));
  std::vector<uint8_t> out;
  if (resp) {
    out.assign(resp, resp + respSize);
    TPM_Free(resp);
  }
  locality_ = 0;
  if (r != TPM_SUCCESS && out.empty())
    throw InternalError("tpm: TPMLIB_Process failed with " + std::to_string(r));
  makeRandomDeterministic(command, out);
  return out;
}

void LibtpmsEngine::hashStart() {
  TPM_IO_Hash_Start();
  hashOpen_ = true;
}

void LibtpmsEngine::hashData(std::span<const uint8_t> data) {
  if (data.empty()) return;
  TPM_IO_Hash_Data(data.data(), static_cast<uint32_t>(data.size()));
}

void LibtpmsEngine::hashEnd() {
  TPM_IO_Hash_End();
  hashOpen_ = false;
}

std::optional<std::vector<uint8_t>> LibtpmsEngine::pcrValue(uint16_t hashAlg, unsigned index) {
  if (hashOpen_ || index >= 24) return std::nullopt;
  auto size = hashDigestSize(hashAlg);
  if (!size) return std::nullopt;
  std::vector<uint8_t> cmd;
  put16(cmd, 0x8001);
  put32(cmd, 0);
  put32(cmd, 0x17E);
  put32(cmd, 1);
  put16(cmd, hashAlg);
  cmd.push_back(3);
  uint8_t sel[3] = {0, 0, 0};
  sel[index / 8] = uint8_t(1u << (index % 8));
  cmd.insert(cmd.end(), sel, sel + 3);
  uint32_t n = static_cast<uint32_t>(cmd.size());
  for (int i = 0; i < 4; ++i) cmd[2 + i] = uint8_t(n >> (24 - 8 * i));
  auto resp = execute(0, cmd);
  // header 10, updateCounter 4, TPML_PCR_SELECTION, TPML_DIGEST.
  size_t off = 10;
  auto need = [&](size_t n) { return off + n <= resp.size(); };
  auto u32 = [&](size_t at) {
    return (uint32_t(resp[at]) << 24) | (uint32_t(resp[at + 1]) << 16) |
           (uint32_t(resp[at + 2]) << 8) | resp[at + 3];
  };
  if (!need(4) || u32(6) != 0) return std::nullopt;
  off += 4;
  if (!need(4)) return std::nullopt;
  uint32_t sels = u32(off);
  off += 4;
  for (uint32_t i = 0; i < sels; ++i) {
    if (!need(3)) return std::nullopt;
    off += 3 + resp[off + 2];
  }
  if (!need(4) || u32(off) != 1) return std::nullopt;
  off += 4;
  if (!need(2)) return std::nullopt;
  size_t dsz = (size_t(resp[off]) << 8) | resp[off + 1];
  off += 2;
  if (dsz != *size || !need(dsz)) return std::nullopt;
  return std::vector<uint8_t>(resp.begin() + off, resp.begin() + off + dsz);
}

bool LibtpmsEngine::established() {
  TPM_BOOL b = 0;
  TPM_IO_TpmEstablished_Get(&b);
  return b != 0;
}

bool LibtpmsEngine::resetEstablished(uint8_t locality) {
  locality_ = locality;
  TPM_RESULT r = TPM_IO_TpmEstablished_Reset();
  locality_ = 0;
  return r == TPM_SUCCESS;
}

}  // namespace dlsim::tpm
