// SINIT's steps timed one by one (see senter_phases.h).
#include "bench/senter_phases.h"
#include "bench/host_clock.h"

#include <algorithm>
#include <ctime>
#include <functional>
#include <stdexcept>

#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/heap/heap_validate.h"
#include "txt_model/mle/mle_hash.h"
#include "txt_model/mle/mle_page_walk.h"
#include "txt_model/mle/phys_reader.h"
#ifdef DLSIM_BENCH_HAVE_MEASURER
#include "txt_model/measure/launch_measurer.h"
#endif

namespace dlsim::bench {
namespace {

constexpr uint16_t kSha1 = 0x0004, kSha256 = 0x000B;

// Thread CPU time of `body` (as the end-to-end goal is judged), median of
// `reps`; `setup` (untimed) runs before each repetition.
double medianUs(int reps, const std::function<void()>& body, const std::function<void()>& setup) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    if (setup) setup();
    const double t0 = threadCpuUs();
    body();
    t.push_back(threadCpuUs() - t0);
  }
  std::sort(t.begin(), t.end());
  return t.size() % 2 ? t[t.size() / 2] : (t[t.size() / 2 - 1] + t[t.size() / 2]) / 2;
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("SENTER phases: " + what);
}

}  // namespace

std::vector<PhaseFigure> measureSenterPhases(SenterRun& run, int reps) {
  require(run.reachedSenter, "the run never reached GETSEC[SENTER]");
  Machine& m = *run.machine.machine;
  const SenterCapture& cap = run.capture;
  std::vector<PhaseFigure> out;
  auto add = [&](std::string name, std::string what, const std::function<void()>& body,
                 const std::function<void()>& setup = {}) {
    PhaseFigure f{std::move(name), std::move(what), medianUs(reps, body, setup), true, ""};
    out.push_back(std::move(f));
  };

  // ACM: copy into AC RAM, parse, authenticate (RSA signature over the digest
  // input, key hash = TXT.PUBLIC.KEY), digest for HASH_DATA.
  std::vector<uint8_t> acRam(cap.sinitSize);
  add("acm-load", "copy ECX bytes of the ACM from guest RAM (AC RAM load)", [&] {
    require(m.memory().read(cap.sinitBase, acRam.data(), acRam.size()), "ACM not in RAM");
  });
  const txt::AcmModule acm = txt::parseAcmModule(cap.acm, "SENTER's ACM");
  add("acm-checks", "parse header and tables, RSA-2048 signature, public key hash", [&] {
    const txt::AcmModule parsed = txt::parseAcmModule(cap.acm, "SENTER's ACM");
    const auto input = txt::acmDigestInput(cap.acm, parsed.header);
    require(txt::acmVerifySignature(parsed.header.rsaPublicKey, parsed.header.rsaExponent, input,
                                    parsed.header.rsaSignature),
            "the ACM's signature does not verify");
    (void)txt::txtPublicKeyHash(parsed.header.rsaPublicKey);
  });
  add("acm-digest", "SHA-256 of the ACM digest input (HASH_DATA)", [&] {
    (void)txt::acmDigest(cap.acm, acm.header, "SHA-256");
  });

  // Heap: parse the four tables and check them as SINIT does.
  txt::heap::HeapParse parsed;
  add("heap-validation", "parse BiosData..SinitMleData and SINIT's heap rules", [&] {
    parsed = txt::heap::parseTxtHeap(cap.heap, txt::heap::HeapScope::kBeforeLaunch);
    txt::heap::SinitHeapPolicy policy;
    policy.heapBase = cap.heapBase;
    policy.isRam = [&](uint64_t base, uint64_t size) { return m.memory().contains(base, size); };
    (void)txt::heap::validateHeapForSinit(parsed, policy);
  });
  require(parsed.heap.osSinit.has_value(), "the heap has no OsSinitData");
  const txt::heap::OsSinitData& os = *parsed.heap.osSinit;
  run.mleSize = os.mleSize;

  // MLE: page walk, then its hash in both banks.
  txt::mle::GuestMemoryPhysReader mem(m.memory());
  txt::mle::MleWalk walk;
  add("page-walk", "walk the MLE page tables (OsSinitData.MLEPageTableBase, MLESize)", [&] {
    walk = txt::mle::walkMlePageTables(mem, os.mlePageTableBase, os.mleSize);
  });
  require(walk.ok(), "the MLE page walk failed: " + (walk.failure ? walk.failure->detail : std::string()));
  double mleHashUs = 0;
  add("mle-hash", "SHA-1 and SHA-256 of the MLE bytes through the page tables", [&] {
    require(txt::mle::mleDigest(mem, walk, kSha1).has_value(), "MLE unreadable");
    require(txt::mle::mleDigest(mem, walk, kSha256).has_value(), "MLE unreadable");
  });
  mleHashUs = out.back().medianUs;

#ifdef DLSIM_BENCH_HAVE_MEASURER
  // The measurer on the launch's own TPM and heap: Hash_Start/Data/End at
  // locality 4, then SINIT's extends at locality 3 and their events in the
  // heap's log. measureLaunch also hashes the MLE (its MLE_HASH), so the MLE
  // hash phase is taken off its figure.
  auto measurer = txt::makeTpmLaunchMeasurer(m.bus(), m.memory());
  txt::AcmMeasurementInputs ai{cap.acm, acm.header, cap.edx};
  add("tpm-hash-start", "Hash_Start, HASH_DATA (ACM digest, EDX), Hash_End at locality 4", [&] {
    auto f = measurer->measureAcm(ai);
    require(!f, "measureAcm failed: " + (f ? f->step + ": " + f->detail : std::string()));
  });
  txt::LaunchMeasurementInputs li;
  li.memory = &mem;
  li.mle = walk;
  li.heap = parsed.heap;
  li.heapBase = cap.heapBase;
  li.acmModule = cap.acm;
  li.acmHeader = acm.header;
  li.senterEdx = cap.edx;
  // Every repetition appends to the heap's event log: start from the heap as
  // SENTER found it each time, so the log never fills.
  add("tpm-extends-and-log", "SINIT's PCR 17/18 extends at locality 3 with their event-log records, MLE hash excluded",
      [&] {
        auto r = measurer->measureLaunch(li);
        require(r.ok(), "measureLaunch failed: " + (r.failure ? r.failure->step + ": " + r.failure->detail : ""));
      },
      [&] { require(m.memory().write(cap.heapBase, cap.heap.data(), cap.heap.size()), "heap not writable"); });
  out.back().medianUs = std::max(0.0, out.back().medianUs - mleHashUs);
#else
  out.push_back({"tpm-hash-start", "Hash_Start/Data/End at locality 4", 0, false,
                 "no measurer in this build (txt_model/measure/tpm_launch_measurer.cpp)"});
  out.push_back({"tpm-extends-and-log", "SINIT's extends and event log", 0, false,
                 "no measurer in this build (txt_model/measure/tpm_launch_measurer.cpp)"});
  (void)mleHashUs;
#endif
  return out;
}

}  // namespace dlsim::bench
