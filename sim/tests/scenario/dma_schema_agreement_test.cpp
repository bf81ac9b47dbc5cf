// "dma" steps and expect.dma: the JSON Schema and dlsim's parsers reach the
// same verdict on each document (the 4 KiB-crossing rule and the step index
// of expect.dma are beyond the schema and left out).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/tests/scenario/schema_agreement.h"

namespace dlsim {
namespace {

using testing_scenario::expectSchemaAndParserAgree;
using testing_scenario::SchemaCase;

std::string withDma(const std::string& dma, const std::string& expect = "") {
  std::string s = R"({
  "name": "t",
  "machine": {"cpus": 2, "memory": [{"base": 0, "size": "0xa0000"}]},
  "load": [{"type": "flat", "file": "img.bin", "address": "0x7c00"}],
  "entry": {"mode": "real", "address": "0x7c00"},
  "dma": )" + dma;
  if (!expect.empty()) s += ",\n  \"expect\": " + expect;
  return s + "\n}\n";
}

const char* kWrite = R"({"at": {"instructions": 10}, "requester": "0x100", "write": {"address": "0x9000", "bytes": "00ff"}})";

std::vector<SchemaCase> cases() {
  const std::string w = kWrite;
  return {
      {"dma-empty", true, withDma("[]")},
      {"dma-write-read", true,
       withDma("[" + w + R"(, {"at": {"address": "0x7c10", "cpu": 1}, "requester": 0, "read": {"address": 4096, "length": 4096}},
                 {"at": {"address": "0x7c10"}, "requester": "65535", "read": {"address": "0x0", "length": 1}}])")},
      {"dma-expect", true,
       withDma("[" + w + "]", R"({"dma": [{"step": 0, "result": "blocked", "protection": "vtd-pmr", "region": "PLMR", "bytes": "AbCd"}]})")},
      {"dma-not-array", false, withDma("{}")},
      {"dma-no-requester", false, withDma(R"([{"at": {"instructions": 1}, "write": {"address": 0, "bytes": "00"}}])")},
      {"dma-requester-big", false, withDma(R"([{"at": {"instructions": 1}, "requester": 65536, "write": {"address": 0, "bytes": "00"}}])")},
      {"dma-both", false,
       withDma(R"([{"at": {"instructions": 1}, "requester": 1, "write": {"address": 0, "bytes": "00"}, "read": {"address": 0, "length": 1}}])")},
      {"dma-neither", false, withDma(R"([{"at": {"instructions": 1}, "requester": 1}])")},
      {"dma-at-empty", false, withDma(R"([{"at": {}, "requester": 1, "read": {"address": 0, "length": 1}}])")},
      {"dma-at-both", false,
       withDma(R"([{"at": {"instructions": 1, "address": 2}, "requester": 1, "read": {"address": 0, "length": 1}}])")},
      {"dma-at-cpu-with-time", false,
       withDma(R"([{"at": {"instructions": 1, "cpu": 0}, "requester": 1, "read": {"address": 0, "length": 1}}])")},
      {"dma-odd-hex", false, withDma(R"([{"at": {"instructions": 1}, "requester": 1, "write": {"address": 0, "bytes": "0"}}])")},
      {"dma-empty-bytes", false, withDma(R"([{"at": {"instructions": 1}, "requester": 1, "write": {"address": 0, "bytes": ""}}])")},
      {"dma-length-0", false, withDma(R"([{"at": {"instructions": 1}, "requester": 1, "read": {"address": 0, "length": 0}}])")},
      {"dma-length-big", false, withDma(R"([{"at": {"instructions": 1}, "requester": 1, "read": {"address": 0, "length": 4097}}])")},
      {"dma-unknown-key", false,
       withDma(R"([{"at": {"instructions": 1}, "requester": 1, "read": {"address": 0, "length": 1}, "name": "x"}])")},
      {"expect-dma-no-step", false, withDma("[" + w + "]", R"({"dma": [{"result": "landed"}]})")},
      {"expect-dma-bad-result", false, withDma("[" + w + "]", R"({"dma": [{"step": 0, "result": "lost"}]})")},
      {"expect-dma-unknown", false, withDma("[" + w + "]", R"({"dma": [{"step": 0, "blocked": true}]})")},
  };
}

TEST(DmaSchema, SchemaAndParserAgree) { expectSchemaAndParserAgree(cases()); }

}  // namespace
}  // namespace dlsim
