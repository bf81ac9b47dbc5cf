// Symbol+offset next to the addresses reports print (--symbols; the load
// entries' "symbols"): the helpers the text and JSON reports share.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "sim/observation.h"
#include "sim/symbol_map.h"

namespace dlsim {

// The linear address a CPU's final state points at: CS * 16 + IP in real
// mode, RIP otherwise (the flat code segments secure-launch code runs in; the
// report does not carry segment bases). None without "rip".
std::optional<uint64_t> cpuCodeAddress(const CpuObservation& c);

// The address an exception-chain entry names ("#GP(0x0) at 0x1234 ..."),
// the first " at 0x..." in it.
std::optional<uint64_t> namedAddress(const std::string& text);

// `text` with " <symbol+0x12>" after every " at 0xHEX" whose address has a
// symbol; unchanged when `symbols` is null.
std::string withSymbols(const std::string& text, const SymbolMap* symbols);

}  // namespace dlsim
