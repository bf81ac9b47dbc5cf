// The boundary between the SINIT launch flow (txt_model/sinit/: loads and checks
// the ACM, validates heap/MLE/PMR/DPR/MTRRs, writes SinitMleData, enters the
// MLE) and the measurements (txt_model/measure/: the TPM traffic and the
// heap event log). The flow gathers what is measured; the measurer sends it
// to the TPM through the bus as the platform (locality 4 Hash_Start/Data/End,
// then locality-3 PCR 17/18 extends: shared/spec/intel-txt.md section 7) and
// logs each extend. Tests of either side use a fake of the other.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "txt_model/acm/acm_header.h"
#include "txt_model/heap/heap_types.h"
#include "txt_model/mle/mle_page_walk.h"
#include "txt_model/mle/phys_reader.h"

namespace dlsim {
class Bus;
class GuestMemory;
}  // namespace dlsim

namespace dlsim::txt {

// One bank's digest, by TPM_ALG_ID (SHA-1 0x0004, SHA-256 0x000B, ...).
struct BankDigest {
  uint16_t alg = 0;
  std::vector<uint8_t> digest;
};

// Why a measurement step failed: the TPM answered an error, did not
// answer, or the event log has no room. `step` names it for the report
// ("hash-start", "pcr17-extend 3 (MLE_HASH)", ...); `errorCode` is the
// TXT.ERRORCODE SINIT writes before the TXT reset.
struct MeasurementFailure {
  std::string step;
  std::string detail;
  uint32_t errorCode = 0;
};

// What GETSEC[SENTER] itself measures before the ACM runs (processor
// microcode, locality 4): the ACM's digest and EDX.
struct AcmMeasurementInputs {
  std::span<const uint8_t> module;  // the ACM bytes as loaded (Size*4)
  AcmHeader header;
  uint32_t senterEdx = 0;
};

// What SINIT measures after its checks passed (locality 3).
struct LaunchMeasurementInputs {
  const mle::PhysReader* memory = nullptr;  // guest physical memory (reads)
  mle::MleWalk mle;                         // the measured MLE bytes, in linear order
  heap::TxtHeap heap;                       // as parsed and validated before launch
  uint64_t heapBase = 0;
  std::span<const uint8_t> acmModule;       // for SINIT_PUBKEY_HASH and the logged ACM digest
  AcmHeader acmHeader;
  uint32_t senterEdx = 0;
};

struct LaunchMeasurementResult {
  std::optional<MeasurementFailure> failure;
  std::vector<BankDigest> mleDigests;  // each active bank's MLE hash (SinitMleData, report)
  std::vector<BankDigest> acmDigests;  // each active bank's digest of the ACM (SinitMleData.SinitHash)
  bool ok() const { return !failure; }
};

class LaunchMeasurer {
 public:
  virtual ~LaunchMeasurer() = default;
  // Hash_Start/Data/End at locality 4: resets PCRs 17-22 and extends PCR 17
  // with the ACM measurement. nullopt on success.
  virtual std::optional<MeasurementFailure> measureAcm(const AcmMeasurementInputs& in) = 0;
  // SINIT's PCR 17/18 extends at locality 3, in the order real SINITs log
  // them for the PCR mapping OsSinitData chose, each logged in the heap's
  // event log (the log OsSinitData's extended elements point to).
  virtual LaunchMeasurementResult measureLaunch(const LaunchMeasurementInputs& in) = 0;
};

// The measurer the TXT platform uses: the TPM as the platform reaches it on
// `bus` (TIS or CRB at 0xFED40000, locality 4 and 3 accesses made with
// AccessContext::fromPlatform), the event log written into `memory`
// (txt_model/measure/tpm_launch_measurer.cpp).
std::unique_ptr<LaunchMeasurer> makeTpmLaunchMeasurer(Bus& bus, GuestMemory& memory);

}  // namespace dlsim::txt
