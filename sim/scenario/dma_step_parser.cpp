#include "sim/scenario/dma_step_parser.h"

#include "sim/hex.h"

namespace dlsim {

namespace {

constexpr uint64_t kMaxRequest = 4096;  // bytes of one step
constexpr uint64_t kPage = 4096;        // a PCIe request never crosses a 4 KiB boundary (PCIe base spec 2.2.7)

void parseAt(const JsonValue& v, int cpus, DmaStepSpec& d) {
  JsonObjectReader o = v.object({"instructions", "cpu", "address"});
  const bool byTime = o.has("instructions");
  if (byTime == o.has("address"))
    v.fail("give either \"instructions\" (a virtual time) or \"address\" (with an optional \"cpu\")");
  if (byTime) {
    if (auto c = o.optional("cpu")) c->fail("\"cpu\" goes with \"address\", not with \"instructions\"");
    d.atInstructions = o.required("instructions").u64();
  } else {
    d.atAddress = o.required("address").u64();
    if (auto c = o.optional("cpu")) d.atCpu = static_cast<int>(c->integer(0, cpus - 1));
  }
  o.finish();
}

DmaStepSpec parseStep(const JsonValue& v, int cpus) {
  DmaStepSpec d;
  JsonObjectReader o = v.object({"at", "requester", "write", "read"});
  parseAt(o.required("at"), cpus, d);
  d.requester = static_cast<uint32_t>(o.required("requester").u64(0, 0xffff));
  if (o.has("write") == o.has("read")) v.fail("give either \"write\" or \"read\"");
  std::optional<JsonValue> access;
  if (auto w = o.optional("write")) {
    d.write = true;
    JsonObjectReader wo = w->object({"address", "bytes"});
    d.address = wo.required("address").u64();
    d.bytes = wo.required("bytes").hexBytes(1, kMaxRequest);
    d.length = d.bytes.size();
    wo.finish();
    access = w;
  } else {
    JsonValue r = o.required("read");
    JsonObjectReader ro = r.object({"address", "length"});
    d.address = ro.required("address").u64();
    d.length = ro.required("length").u64(1, kMaxRequest);
    ro.finish();
    access = r;
  }
  o.finish();
  const uint64_t last = d.address + (d.length - 1);
  if (last < d.address)
    access->at("address").fail(hex(d.address) + " + " + std::to_string(d.length) +
                               " bytes runs past the end of the address space");
  if (d.address / kPage != last / kPage)
    access->at("address").fail("[" + hex(d.address) + ", " + hex(last + 1) +
                               ") crosses a 4 KiB boundary; one step is one PCIe request, which never does "
                               "(split it into two steps)");
  return d;
}

}  // namespace

std::vector<DmaStepSpec> parseDmaSteps(const JsonValue& dma, int cpus) {
  std::vector<DmaStepSpec> steps;
  for (const JsonValue& item : dma.array(0, 1000)) steps.push_back(parseStep(item, cpus));
  return steps;
}

}  // namespace dlsim
