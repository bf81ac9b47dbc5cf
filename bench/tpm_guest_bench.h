// The guest-code column of dlsim-tpm-bench: a dlsim Machine with the TIS
// device and a TPM engine, running tests/guests/tpm_tis_bench.asm, which
// drives N TPM2_PCR_Extend round trips through the FIFO registers as a
// driver does. Reports host time and guest instructions per round trip (the
// run with N extends minus the run with none, divided by N) and checks the
// outcome: the guest's status, the TPM's command count, and PCR 23 against
// the value computed here with Botan.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace dlsim::bench {

struct TpmGuestCheckFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct TpmGuestFigures {
  double microsPerRoundTrip = 0;        // median over rounds, host wall time of Machine::run
  double instructionsPerRoundTrip = 0;  // guest instructions retired per extend
};

// `engine`: "dlsim" or "libtpms" (only one libtpms engine may exist at a time:
// call this when no other is alive). `guestBinary`: the flat tpm_tis_bench.bin.
// Throws TpmGuestCheckFailed when a result is wrong.
TpmGuestFigures measureTpmGuestRoundTrips(const std::string& engine, const std::string& guestBinary, int extends,
                                          int rounds);

}  // namespace dlsim::bench
