// `dlsim-mklog`: writes a TPM event log built by dlsim's event-log code, for
// tests that feed dlsim's logs to other parsers (tpm2-tools' tpm2_eventlog).
// Argument parsing only; building and encoding live in tpm_model/eventlog.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "sim/errors.h"
#include "tpm_model/eventlog/event_log.h"
#include "tpm_model/eventlog/event_types.h"
#include "tpm_model/eventlog/txt_event_container.h"
#include "tpm_model/tpm_alg.h"

namespace {

constexpr const char* kHelp = R"(Each --event PCR:TYPE:TEXT adds an event whose digest in every bank is
that bank's hash of TEXT (the event data). TYPE is a number or a name such
as EV_SEPARATOR, MLE_HASH, SLAUNCH.

Examples:
  dlsim-mklog log.bin --banks sha1,sha256 --event 17:HASH_START:acm --event 18:SLAUNCH:cmdline
  dlsim-mklog heap.bin --sha1-format --event 17:0x501:policy
  dlsim-mklog heap.bin --txt-container 0x7f000000:0x2000 --event 17:MLE_HASH:mle)";

std::vector<std::string> split(const std::string& s, char sep, size_t maxParts) {
  std::vector<std::string> out;
  size_t start = 0;
  while (out.size() + 1 < maxParts) {
    size_t p = s.find(sep, start);
    if (p == std::string::npos) break;
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
  out.push_back(s.substr(start));
  return out;
}

uint64_t number(const std::string& s, const std::string& what) {
  try {
    size_t used = 0;
    uint64_t v = std::stoull(s, &used, 0);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw dlsim::InputError(what + ": not a number: " + s);
}

}  // namespace

int main(int argc, char** argv) {
  namespace ev = dlsim::tpm::evlog;
  CLI::App app{"dlsim-mklog: write a TCG event log built by dlsim"};
  app.footer(kHelp);
  std::string out, banks = "sha1,sha256", container;
  std::vector<std::string> events;
  bool sha1Format = false;
  app.add_option("OUT", out, "Output file")->required();
  app.add_option("--banks", banks, "Comma-separated banks for a crypto-agile log (default sha1,sha256)");
  app.add_flag("--sha1-format", sha1Format, "Write a SHA-1 (TCG_PCR_EVENT) log instead");
  app.add_option("--event", events, "PCR:TYPE:TEXT (repeatable)");
  app.add_option("--txt-container", container,
                 "PHYS:SIZE: write a TXT container dump (EVENT_LOG_POINTER2_1 + SIZE bytes)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    ev::EventLog log;
    if (sha1Format) {
      log = ev::makeSha1Log();
    } else {
      std::vector<uint16_t> algs;
      for (const auto& name : split(banks, ',', 64)) {
        auto a = dlsim::tpm::hashAlgFromName(name);
        if (!a) throw dlsim::InputError("--banks: unknown bank " + name);
        algs.push_back(*a);
      }
      log = ev::makeCryptoAgileLog(algs);
    }
    for (const auto& spec : events) {
      auto parts = split(spec, ':', 3);
      if (parts.size() != 3) throw dlsim::InputError("--event " + spec + ": expected PCR:TYPE:TEXT");
      auto type = ev::eventTypeFromName(parts[1]);
      if (!type) throw dlsim::InputError("--event " + spec + ": unknown event type " + parts[1]);
      uint64_t pcr = number(parts[0], "--event " + spec + ": PCR");
      if (pcr > 0xFFFFFFFFu) throw dlsim::InputError("--event " + spec + ": PCR out of range");
      ev::appendMeasured(log, static_cast<uint32_t>(pcr), *type, std::vector<uint8_t>(parts[2].begin(), parts[2].end()));
    }
    std::vector<uint8_t> bytes;
    if (!container.empty()) {
      if (sha1Format) throw dlsim::InputError("--txt-container holds a crypto-agile log, not --sha1-format");
      auto parts = split(container, ':', 2);
      if (parts.size() != 2) throw dlsim::InputError("--txt-container " + container + ": expected PHYS:SIZE");
      ev::EventLogPointer2_1 ptr;
      ptr.physAddr = number(parts[0], "--txt-container PHYS");
      uint64_t size = number(parts[1], "--txt-container SIZE");
      if (size > (16u << 20)) throw dlsim::InputError("--txt-container SIZE larger than 16 MiB");
      ptr.allocatedSize = static_cast<uint32_t>(size);
      std::vector<uint8_t> buffer(ptr.allocatedSize, 0);
      if (!ev::writeTxtSpecIdHeader(ptr, buffer, log.specId, out).ok)
        throw dlsim::InputError("--txt-container: the Spec ID header does not fit");
      for (size_t i = 1; i < log.events.size(); ++i)
        if (!ev::appendTxtEvent(ptr, buffer, log.events[i], out).ok)
          throw dlsim::InputError("--txt-container: event " + std::to_string(i) + " does not fit");
      bytes = ev::encodeTxtContainerDump(ptr, buffer);
    } else {
      bytes = ev::serializeEventLog(log);
    }
    std::ofstream f(out, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f) throw dlsim::InputError(out + ": cannot write the file");
  } catch (const dlsim::InputError& e) {
    std::cerr << "dlsim-mklog: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dlsim-mklog: internal error: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
