// The `dlsim` command: argument parsing only; everything else lives in the
// libraries (sim/cli/run_command.h, sim/machine/runner.h, sim/report/*).
//
// Exit status (for CI): 0 every expectation held, 1 an expectation failed,
// 2 bad input (scenario or image), 3 internal error.
#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/cli/number_args.h"
#include "sim/cli/run_command.h"
#include "sim/errors.h"
#include "sim/machine/version.h"
#include "tpm_model/eventlog/event_log_file.h"
#include "tpm_model/eventlog/event_log_render.h"
#include "tpm_model/eventlog/pcr_replay.h"
#include "tpm_model/tpm_alg.h"
#include "txt_model/acm/acm_commands.h"
#include "txt_model/profiles/txt_profile.h"

namespace {

constexpr const char* kRunHelp = R"(Run scenarios and check their expectations.

Each SCENARIO is a JSON file (format: docs/scenario-format.md, schema:
scenarios/schema/scenario.schema.json). dlsim builds the machine it
describes, loads its images, boots the first CPU, runs until a stop
condition (all CPUs halted, the stop address, a triple fault, the
instruction budget, an unmapped access) and checks the "expect" section.

A scenario that cannot be read is an error row; the others still run. The
--json and --junit files are rewritten after every scenario, so they are
whole documents at any time; SIGINT or SIGTERM ends the run after saving
what finished (exit 128 + the signal's number). Report paths are checked
before the run: two reports may not share a file. With several scenarios,
--trace and --event-log-out write FILE.0, FILE.1, ...

A passing scenario prints one line; --verbose (-v) prints the full block
for every scenario, passed or not: each model's section (TXT: the
registers, then the heap tables as Debian's txt-stat prints them; TPM: the
event log's records) and the serial tail.

Errors go to stderr as "FILE: /json/pointer: message".

Examples:
  dlsim run scenarios/core/boot-modes.json
  dlsim run scenarios/core/*.json --junit results.xml --json results.json
  dlsim run my.json --trace trace.txt --max-instructions 1000000
  dlsim run -v scenarios/txt/launch-cpus-2.json
  dlsim run tboot.json --symbols .cache/debian-tboot/boot/tboot-syms --trace trace.txt

Exit status: 0 all expectations held, 1 an expectation failed (or an
expected failure passed), 2 bad input (scenario, image or argument), 3
internal error, 130 interrupted (SIGINT), 143 terminated (SIGTERM).)";

constexpr const char* kEventlogHelp = R"(Print a TPM event log, one event per line (or as JSON).

FILE is a TCG crypto-agile log (TPM 2.0: Spec ID Event03 header, then
TCG_PCR_EVENT2 records, e.g. /sys/kernel/security/tpm0/binary_bios_measurements),
a SHA-1 log (TPM 1.2 / tboot TCG_PCR_EVENT records), or a TXT container
dump: the 28-byte HEAP_EVENT_LOG_POINTER_ELEMENT2_1 (type 8) followed by the
container's allocated bytes, a TPM 1.2 TXT Event Container (txt12-container),
or one PCR bank's legacy TXT log (txt-legacy-bank: what OsSinitData's
EVENT_LOG_POINTER2 element points at per bank; the non-SHA-1 ones start with
a TCG_LOG_DESCRIPTOR "FRMT ID EVENT00" record naming the bank, a SHA-1 one
is a SHA-1 log). --format auto picks by content; --bank reads the file as
that bank's legacy log (for one without the header, or to override it).
--replay adds the PCR values the log implies, by PCR := H(PCR || digest),
starting from the values --initial names (dynamic-launch: PCR 17-22 zero as
after _TPM_Hash_End; startup: PCR 17-22 all ones; zero).

Examples:
  dlsim eventlog /sys/kernel/security/tpm0/binary_bios_measurements
  dlsim eventlog drtm-log.bin --json --replay
  dlsim eventlog heap-log.bin --format txt-container
  dlsim run launch.json --event-log-out log.bin && dlsim eventlog log.bin.sha256 --replay
  dlsim eventlog bank-log.bin --format txt-legacy-bank --bank sha384

Exit status: 0 the log parsed, 2 bad input (the message names the file,
byte offset and field).)";

constexpr const char* kMkacmHelp = R"(Write a simulated Intel TXT SINIT ACM for a platform profile.

PROFILE is a shipped TXT platform profile (listed below) or the path of a
profile JSON file (format: docs/txt-profiles.md). The module carries what a
real SINIT for that platform carries -- its chipset and processor ID lists,
information table version, capabilities, OsSinitData and MLE header
versions, TPM capabilities and algorithms -- and is signed with dlsim's
fixed test key, whose hash a dlsim TXT platform holds in TXT.PUBLIC.KEY.
Pre-launch code such as tboot accepts it on that platform (mkacm checks
tboot's rules before writing it); Debian's txt-acminfo reads it. Its code
never runs: dlsim's SINIT model does what SINIT does. The same PROFILE
gives the same bytes on every machine.

Examples:
  dlsim mkacm cfl-client-tpm2 -o sinit.bin
  dlsim mkacm my-platform.json -o sinit.bin
  dlsim mkacm cfl-client-tpm2 --type bios --code standin.bin -o bios-acm.bin
  dlsim mkacm cfl-client-tpm2 --type bios --code standin.bin --seg-sel 16 -o bad-format.bin
  dlsim acminfo sinit.bin --profile cfl-client-tpm2

Exit status: 0 written, 2 bad input (unknown or malformed profile, file not
writable).)";

constexpr const char* kAcminfoHelp = R"(Print an ACM's header, information table and ID lists.

FILE is an authenticated code module: one `dlsim mkacm` wrote or a real
Intel SINIT or BIOS ACM (parsed and reported only; never run). The fields
are named as Debian's txt-acminfo names them, followed by the ACM digest
GETSEC[SENTER] measures (SHA-256 of bytes 0x00-0x7F and the user area).
With --profile, also tboot's pre-launch checks of FILE as the SINIT for
that platform.

Exit status: 0 printed, 2 unreadable or malformed file, or bad profile.)";

int eventlogCommand(const std::string& path, const std::string& formatName, const std::string& bankName, bool json,
                    bool replay, const std::string& initialName) {
  namespace ev = dlsim::tpm::evlog;
  auto format = ev::inputFormatFromName(formatName);
  if (!format) {
    std::cerr << "dlsim: eventlog " << path << ": unknown --format " << formatName << "\n";
    return 2;
  }
  ev::InitialPcrs initial = ev::InitialPcrs::kAfterDynamicLaunch;
  if (initialName == "startup") initial = ev::InitialPcrs::kAfterStartup;
  else if (initialName == "zero") initial = ev::InitialPcrs::kAllZero;
  try {
    std::optional<uint16_t> bank;
    if (!bankName.empty()) bank = dlsim::tpm::hashAlgFromName(bankName);
    ev::EventLog log = ev::loadEventLogFile(path, *format, bank);
    std::optional<ev::ReplayResult> replayed;
    if (replay) replayed = ev::replayEventLog(log, ev::initialPcrValues(log.banks(), initial));
    if (json) {
      std::cout << ev::renderEventLogJson(log, replayed ? &*replayed : nullptr);
    } else {
      std::cout << ev::renderEventLogText(log);
      if (replayed) std::cout << "replayed PCRs (start: " << initialName << ")\n" << ev::renderReplayText(*replayed);
    }
  } catch (const dlsim::InputError& e) {
    std::cerr << "dlsim: eventlog: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dlsim: a deterministic x86 platform simulator (for dynamic-launch code; the TXT and SKINIT models are "
               "not there yet)"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");

  dlsim::cli::RunCommandOptions runOpt;
  std::optional<std::string> traceLimit;
  CLI::App* run = app.add_subcommand("run", "Run scenarios and check their expectations");
  run->footer(kRunHelp);
  run->add_option("SCENARIO", runOpt.scenarios, "Scenario JSON files")->required();
  run->add_option("--json", runOpt.jsonPath, "Write the JSON report (format: docs/report-format.md) to FILE");
  run->add_option("--junit", runOpt.junitPath, "Write a JUnit XML report to FILE (one testcase per scenario)");
  run->add_option("--trace", runOpt.tracePath,
                  "Write every executed instruction, per CPU, with disassembly to FILE (docs/trace-format.md)");
  run->add_option("--trace-limit", traceLimit,
                  "Cut the --trace file at SIZE bytes (K, M, G suffixes; default 1G; 0: no limit)");
  run->add_option("--event-log-out", runOpt.eventLogOutPath,
                  "Write the DRTM event log bytes the run read from the guest (tpm.event_log, else the TXT heap's SINIT log) to "
                  "FILE, and, after a TXT launch with the legacy per-bank logs, each non-SHA-1 bank's log to "
                  "FILE.<bank> (FILE.sha256, ...)");
  run->add_option("--max-instructions", runOpt.maxInstructions,
                  "Instruction budget for each run, 1..2^64-1 (overrides machine.max_instructions)");
  run->add_flag("-v,--verbose", runOpt.verbose,
                "Print the full text report for every scenario, passed or not: each model's section (TXT: the "
                "registers and the heap as txt-stat prints them; TPM: the event log's records) and the serial tail");
  run->add_flag("--host-time", runOpt.hostTime, "Add host wall time to the reports (not deterministic)");
  run->add_option("--symbols", runOpt.symbolFiles,
                  "Symbols (System.map format: \"ADDR TYPE NAME\" lines, e.g. /boot/tboot-syms) for the trace "
                  "and the reports' addresses, as symbol+offset; may be given more than once")
      ->allow_extra_args(false);
  run->add_option("--tpm-engine", runOpt.tpmEngine,
                  "TPM engine for scenarios with a TPM: dlsim or libtpms (overrides tpm.engine)")
      ->check(CLI::IsMember({"dlsim", "libtpms"}));

  std::vector<std::string> validateFiles;
  CLI::App* validate = app.add_subcommand(
      "validate", "Check scenario files without running them: build each machine and load its images, as run does");
  validate->add_option("SCENARIO", validateFiles, "Scenario JSON files")->required();

  std::string eventlogFile, eventlogFormat = "auto", eventlogBank, eventlogInitial = "dynamic-launch";
  bool eventlogJson = false, eventlogReplay = false;
  CLI::App* eventlog = app.add_subcommand("eventlog", "Print a TPM event log (TCG crypto-agile, SHA-1, TXT container or TXT legacy bank log)");
  eventlog->footer(kEventlogHelp);
  eventlog->add_option("FILE", eventlogFile, "Event log file")->required();
  eventlog->add_flag("--json", eventlogJson, "Print JSON instead of text");
  eventlog->add_option("--format", eventlogFormat,
                       "Input format: auto, tcg2, sha1, txt-container, txt12-container, txt-legacy-bank (default auto)")
      ->check(CLI::IsMember({"auto", "tcg2", "sha1", "txt-container", "txt12-container", "txt-legacy-bank"}));
  eventlog->add_option("--bank", eventlogBank,
                       "Read FILE as this PCR bank's legacy TXT log (txt-legacy-bank): sha1, sha256, sha384, sha512, sm3")
      ->check(CLI::IsMember({"sha1", "sha256", "sha384", "sha512", "sm3"}));
  eventlog->add_flag("--replay", eventlogReplay, "Also print the PCR values the log implies");
  eventlog->add_option("--initial", eventlogInitial,
                       "PCR start values for --replay: dynamic-launch (default), startup, zero")
      ->check(CLI::IsMember({"dynamic-launch", "startup", "zero"}));

  std::string mkacmProfile, mkacmOut;
  CLI::App* mkacm = app.add_subcommand("mkacm", "Write a simulated Intel TXT SINIT ACM for a platform profile");
  std::string shipped;
  for (const auto& n : dlsim::txt::shippedTxtProfiles()) {
    std::string description;
    try {
      description = dlsim::txt::findTxtProfile(n).description;
    } catch (const dlsim::InputError& e) {
      description = e.what();
    }
    shipped += "  " + n + ": " + description + "\n";
  }
  mkacm->footer(std::string(kMkacmHelp) + "\n\nShipped profiles:\n" + shipped);
  mkacm->add_option("PROFILE", mkacmProfile, "Shipped profile name or profile JSON file")->required();
  mkacm->add_option("-o,--output", mkacmOut, "Write the ACM to FILE")->required();
  std::string mkacmType = "sinit", mkacmCode;
  mkacm->add_option("--type", mkacmType, "sinit (default) or bios: a BIOS ACM stand-in running --code")
      ->check(CLI::IsMember({"sinit", "bios"}));
  mkacm->add_option("--code", mkacmCode, "--type bios: flat binary placed at the entry point (offset 0x1000)");
  uint32_t mkacmSegSel = dlsim::txt::kBiosAcmDefaultSegSel;
  CLI::Option* mkacmSegSelOpt =
      mkacm->add_option("--seg-sel", mkacmSegSel,
                        "--type bios: the header's SegSel (default 8; another value makes a module ENTERACCS may "
                        "refuse as badly formatted)");

  std::string acminfoFile, acminfoProfile;
  CLI::App* acminfo = app.add_subcommand("acminfo", "Print an ACM's header, information table and ID lists");
  acminfo->footer(kAcminfoHelp);
  acminfo->add_option("FILE", acminfoFile, "ACM file")->required();
  acminfo->add_option("--profile", acminfoProfile, "Also run tboot's SINIT checks for this platform profile");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (version) {
    std::cout << "dlsim " << dlsim::versionString() << "\n";
    return 0;
  }
  try {
    if (*run) {
      if (traceLimit) {
        try {
          runOpt.traceLimitBytes = dlsim::cli::parseByteSize("--trace-limit", *traceLimit);
        } catch (const dlsim::InputError& e) {
          std::cerr << "dlsim: run: " << e.what() << "\n";
          return 2;
        }
      }
      return dlsim::cli::runCommand(runOpt, std::cout, std::cerr);
    }
    if (*validate) return dlsim::cli::validateCommand(validateFiles, std::cout, std::cerr);
    if (*eventlog) return eventlogCommand(eventlogFile, eventlogFormat, eventlogBank, eventlogJson, eventlogReplay,
                                            eventlogInitial);
    if (*mkacm) {
      if (mkacmType == "bios" || !mkacmCode.empty()) {
        if (mkacmType != "bios" || mkacmCode.empty()) {
          std::cerr << "dlsim: mkacm: --code and --type bios go together\n";
          return 2;
        }
        return dlsim::txt::mkBiosAcmCommand(mkacmProfile, mkacmCode, mkacmOut, std::cout, std::cerr, mkacmSegSel);
      }
      if (mkacmSegSelOpt->count() > 0) {
        std::cerr << "dlsim: mkacm: --seg-sel needs --type bios\n";
        return 2;
      }
      return dlsim::txt::mkacmCommand(mkacmProfile, mkacmOut, std::cout, std::cerr);
    }
    if (*acminfo) return dlsim::txt::acminfoCommand(acminfoFile, acminfoProfile, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "dlsim: internal error: " << e.what() << "\n";
    return 3;
  }
  std::cout << app.help();
  return 0;
}
