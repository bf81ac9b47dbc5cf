// Event-log input: format selection and bounded file reading.
#include "tpm_model/eventlog/event_log_file.h"

#include <fstream>
#include <vector>

#include "sim/errors.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/legacy_bank_log.h"
#include "tpm_model/eventlog/txt12_event_container.h"
#include "tpm_model/eventlog/txt_event_container.h"

namespace dlsim::tpm::evlog {

std::optional<InputFormat> inputFormatFromName(const std::string& name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "tcg2") return InputFormat::kTcg2;
  if (name == "sha1") return InputFormat::kSha1;
  if (name == "txt-container") return InputFormat::kTxtContainer;
  if (name == "txt12-container") return InputFormat::kTxt12Container;
  if (name == "txt-legacy-bank") return InputFormat::kTxtLegacyBank;
  return std::nullopt;
}

EventLog parseEventLogInput(std::span<const uint8_t> bytes, InputFormat format, const std::string& source,
                            std::optional<uint16_t> legacyBank) {
  if (legacyBank) {
    if (format != InputFormat::kAuto && format != InputFormat::kTxtLegacyBank)
      throw InputError(source + ": a bank (--bank) is given for txt-legacy-bank logs only");
    format = InputFormat::kTxtLegacyBank;
  }
  if (format == InputFormat::kAuto) {
    if (looksLikeTxtContainerDump(bytes)) format = InputFormat::kTxtContainer;
    else if (looksLikeTxt12Container(bytes)) format = InputFormat::kTxt12Container;
    else if (looksLikeLegacyBankLog(bytes)) format = InputFormat::kTxtLegacyBank;
    else if (detectLogFormat(bytes) == LogFormat::kCryptoAgile) format = InputFormat::kTcg2;
    else format = InputFormat::kSha1;
  }
  switch (format) {
    case InputFormat::kTxtContainer:
      return parseTxtContainerDump(bytes, source);
    case InputFormat::kTxt12Container:
      return parseTxt12Container(bytes, source);
    case InputFormat::kTxtLegacyBank:
      if (bytes.empty()) throw InputError(source + ": empty event log");
      return parseLegacyBankLog(bytes, legacyBank, source);
    case InputFormat::kTcg2:
      return parseEventLog(bytes, LogFormat::kCryptoAgile, source);
    default:
      if (bytes.empty()) throw InputError(source + ": empty event log");
      return parseEventLog(bytes, LogFormat::kSha1, source);
  }
}

EventLog loadEventLogFile(const std::string& path, InputFormat format, std::optional<uint16_t> legacyBank) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw InputError(path + ": cannot open the event log");
  std::streamoff size = in.tellg();
  if (size < 0) throw InputError(path + ": cannot read the event log");
  if (static_cast<uint64_t>(size) > kMaxEventLogFileSize)
    throw InputError(path + ": " + std::to_string(size) + " bytes is larger than the " +
                     std::to_string(kMaxEventLogFileSize) + "-byte limit for event logs");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
    throw InputError(path + ": cannot read the event log");
  return parseEventLogInput(bytes, format, path, legacyBank);
}

}  // namespace dlsim::tpm::evlog
