// Reading and appending to the TXT heap's TPM 2.0 event-log container.
#include "tpm_model/eventlog/txt_event_container.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "tpm_model/eventlog/event_types.h"
#include "sim/le_reader.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm::evlog {
namespace {

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

std::string describe(const EventLogPointer2_1& p) {
  return "PhysicalAddress " + dlsim::hex(p.physAddr) + ", AllocatedEventContainerSize " + dlsim::hex(p.allocatedSize) +
         ", FirstRecordOffset " + dlsim::hex(p.firstRecordOffset) + ", NextRecordOffset " +
         dlsim::hex(p.nextRecordOffset);
}

void checkPointer(const EventLogPointer2_1& p, const std::string& source) {
  if (p.nextRecordOffset > p.allocatedSize)
    throw InputError(source + ": EVENT_LOG_POINTER2_1: NextRecordOffset beyond AllocatedEventContainerSize (" +
                     describe(p) + ")");
  if (p.firstRecordOffset > p.nextRecordOffset)
    throw InputError(source + ": EVENT_LOG_POINTER2_1: FirstRecordOffset beyond NextRecordOffset (" + describe(p) +
                     ")");
}

void checkContainer(const EventLogPointer2_1& p, std::span<const uint8_t> container, const std::string& source) {
  checkPointer(p, source);
  if (container.size() != p.allocatedSize)
    throw InputError(source + ": container buffer is " + std::to_string(container.size()) +
                     " bytes, AllocatedEventContainerSize is " + std::to_string(p.allocatedSize));
}

AppendResult writeRecord(EventLogPointer2_1& p, std::span<uint8_t> container, const std::vector<uint8_t>& record) {
  AppendResult r;
  r.available = p.allocatedSize - p.nextRecordOffset;
  r.recordSize = record.size() > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(record.size());
  if (record.size() > r.available) return r;
  std::copy(record.begin(), record.end(), container.begin() + p.nextRecordOffset);
  p.nextRecordOffset += static_cast<uint32_t>(record.size());
  r.ok = true;
  return r;
}

}  // namespace

EventLogPointer2_1 parseEventLogPointerElement(std::span<const uint8_t> bytes, const std::string& source,
                                               uint64_t baseOffset) {
  LeReader r(bytes, source, baseOffset);
  r.setContext("EVENT_LOG_POINTER2_1");
  uint64_t typeAt = r.offset();
  uint32_t type = r.u32("type");
  if (type != kHeapElementEventLogPointer2_1)
    r.fail(typeAt, "type", std::to_string(type) + ", expected " + std::to_string(kHeapElementEventLogPointer2_1));
  uint64_t sizeAt = r.offset();
  uint32_t size = r.u32("size");
  if (size != kEventLogPointer2_1ElementSize)
    r.fail(sizeAt, "size", std::to_string(size) + ", expected " + std::to_string(kEventLogPointer2_1ElementSize));
  EventLogPointer2_1 p;
  p.physAddr = r.u64("PhysicalAddress");
  p.allocatedSize = r.u32("AllocatedEventContainerSize");
  p.firstRecordOffset = r.u32("FirstRecordOffset");
  p.nextRecordOffset = r.u32("NextRecordOffset");
  return p;
}

std::vector<uint8_t> encodeEventLogPointerElement(const EventLogPointer2_1& p) {
  std::vector<uint8_t> out;
  put32(out, kHeapElementEventLogPointer2_1);
  put32(out, kEventLogPointer2_1ElementSize);
  put32(out, static_cast<uint32_t>(p.physAddr));
  put32(out, static_cast<uint32_t>(p.physAddr >> 32));
  put32(out, p.allocatedSize);
  put32(out, p.firstRecordOffset);
  put32(out, p.nextRecordOffset);
  return out;
}

EventLog parseTxtEventLog(const EventLogPointer2_1& p, std::span<const uint8_t> memory, uint64_t memoryBase,
                          const std::string& source) {
  checkPointer(p, source);
  if (p.physAddr < memoryBase || p.physAddr - memoryBase > memory.size() ||
      memory.size() - (p.physAddr - memoryBase) < p.allocatedSize)
    throw InputError(source + ": EVENT_LOG_POINTER2_1: container [" + dlsim::hex(p.physAddr) + ", +" +
                     dlsim::hex(p.allocatedSize) + ") lies outside the memory given [" + dlsim::hex(memoryBase) +
                     ", +" + dlsim::hex(memory.size()) + ")");
  if (p.firstRecordOffset == p.nextRecordOffset)
    throw InputError(source + ": EVENT_LOG_POINTER2_1: the container holds no records (" + describe(p) + ")");
  size_t start = static_cast<size_t>(p.physAddr - memoryBase) + p.firstRecordOffset;
  auto log = memory.subspan(start, p.nextRecordOffset - p.firstRecordOffset);
  EventLog parsed = parseEventLog(log, LogFormat::kCryptoAgile, source + " (guest-physical)",
                                  p.physAddr + p.firstRecordOffset);
  return parsed;
}

AppendResult writeTxtSpecIdHeader(EventLogPointer2_1& p, std::span<uint8_t> container, const SpecIdEvent& spec,
                                  const std::string& source) {
  checkContainer(p, container, source);
  if (p.firstRecordOffset != p.nextRecordOffset)
    throw InputError(source + ": EVENT_LOG_POINTER2_1: the container already holds records (" + describe(p) + ")");
  EventLog header;
  header.format = LogFormat::kCryptoAgile;
  header.specId = spec;
  LogEvent e;
  e.eventType = ev::kNoAction;
  e.digests.push_back({alg::kSha1, std::vector<uint8_t>(20, 0)});
  e.data = encodeSpecIdEvent(spec);
  return writeRecord(p, container, encodeEvent(header, e, true));
}

AppendResult appendTxtEvent(EventLogPointer2_1& p, std::span<uint8_t> container, const LogEvent& event,
                            const std::string& source) {
  checkContainer(p, container, source);
  if (p.firstRecordOffset == p.nextRecordOffset)
    throw InputError(source + ": EVENT_LOG_POINTER2_1: no Spec ID header to append after (" + describe(p) + ")");
  // The header tells which banks and digest sizes the records use.
  auto head = std::span<const uint8_t>(container).subspan(p.firstRecordOffset, p.nextRecordOffset - p.firstRecordOffset);
  LeReader r(head, source + " (container)", p.firstRecordOffset);
  r.setContext("event 0 (Spec ID header)");
  r.bytes(28, "header fields");
  uint32_t size = r.u32("eventSize");
  EventLog log;
  log.format = LogFormat::kCryptoAgile;
  log.specId = parseSpecIdEvent(r.bytes(size, "event data"), source + " (container)", p.firstRecordOffset + 32);
  std::vector<uint8_t> record;
  try {
    record = encodeEvent(log, event, false);
  } catch (const InternalError& e) {
    throw InputError(source + ": event does not fit the container's Spec ID header: " + e.what());
  }
  return writeRecord(p, container, record);
}

std::vector<uint8_t> encodeTxtContainerDump(const EventLogPointer2_1& p, std::span<const uint8_t> container) {
  auto out = encodeEventLogPointerElement(p);
  out.insert(out.end(), container.begin(), container.end());
  return out;
}

bool looksLikeTxtContainerDump(std::span<const uint8_t> b) {
  return b.size() >= kEventLogPointer2_1ElementSize && b[0] == kHeapElementEventLogPointer2_1 && b[1] == 0 &&
         b[2] == 0 && b[3] == 0 && b[4] == kEventLogPointer2_1ElementSize && b[5] == 0 && b[6] == 0 && b[7] == 0;
}

EventLog parseTxtContainerDump(std::span<const uint8_t> bytes, const std::string& source) {
  EventLogPointer2_1 p = parseEventLogPointerElement(bytes, source);
  auto container = bytes.subspan(kEventLogPointer2_1ElementSize);
  if (container.size() < p.allocatedSize)
    throw InputError(source + ": offset " + dlsim::hex(kEventLogPointer2_1ElementSize) + ": container holds " +
                     std::to_string(container.size()) + " bytes, AllocatedEventContainerSize is " +
                     std::to_string(p.allocatedSize));
  return parseTxtEventLog(p, container.first(p.allocatedSize), p.physAddr, source);
}

}  // namespace dlsim::tpm::evlog
