// The JSON Schema and dlsim's parser reach the same verdict on documents
// with a "tpm" section and TPM expectations (the general cases are in
// schema_agreement_test.cpp). Each case states the intended verdict too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/tests/scenario/schema_agreement.h"
#include "tpm_model/platform/tpm_platform_model.h"

namespace dlsim {
namespace {

using testing_scenario::expectSchemaAndParserAgree;
using testing_scenario::SchemaCase;

std::string doc(const std::string& tpm, const std::string& expect = "") {
  std::string s = R"({"name": "t", "machine": {"memory": [{"base": 0, "size": "0xa0000"}]},
    "load": [{"type": "flat", "file": "img.bin", "address": "0x7c00"}], "entry": {"mode": "real", "address": "0x7c00"})";
  if (!tpm.empty()) s += ", \"tpm\": " + tpm;
  if (!expect.empty()) s += ", \"expect\": " + expect;
  return s + "}\n";
}

std::vector<SchemaCase> cases() {
  const std::string z1(40, '0'), z256(64, '0');
  return {
      {"tpm-empty", true, doc("{}")},
      {"tpm-full", true, doc(R"({"interface": "crb", "engine": "libtpms", "banks": ["sha1", "sha256", "sha384", "sha512", "sm3_256"],
          "nv": [{"index": "0x01c10102", "attributes": "platform-ro", "data": "00ff"},
                 {"index": 16777216, "attributes": "0x2060002", "size": "0x800"},
                 {"index": "33554431", "attributes": 131074, "file": "img.bin", "size": 2048}],
          "localities_open": [1, 2, 3],
          "faults": {"fail_command": [{"code": "TPM2_PCR_Extend", "rc": "0x101"}, {"code": "0x144", "rc": 1}],
                     "stop_answering_after": "10", "ready_delay_reads": 1000000},
          "event_log": {"address": "0x10000", "size": "0x4000000", "format": "txt12-container"}})")},
      {"expect-tpm", true, doc("{}", R"({"pcrs": {"sha1": {"0": ")" + z1 + R"("}, "sha256": {"23": ")" + z256 +
                                         R"("}}, "event_log_replays": true,
          "tpm": {"established": true, "active_locality": null, "commands_at_locality": {"0": 1, "4": "0x2"}}})")},
      {"expect-active-4", true, doc("", R"({"tpm": {"active_locality": 4}})")},
      {"startup-clear", true, doc(R"({"startup": "clear"})")},
      {"startup-none", true, doc(R"({"startup": "none"})")},
      {"startup-bad", false, doc(R"({"startup": "state"})")},
      {"tpm-null", false, doc("null")},
      {"tpm-unknown", false, doc(R"({"iface": "tis"})")},
      {"interface-bad", false, doc(R"({"interface": "spi"})")},
      {"engine-bad", false, doc(R"({"engine": "swtpm"})")},
      {"banks-empty", false, doc(R"({"banks": []})")},
      {"banks-dup", false, doc(R"({"banks": ["sha1", "sha1"]})")},
      {"banks-unknown", false, doc(R"({"banks": ["md5"]})")},
      {"nv-index-low", false, doc(R"({"nv": [{"index": "0xffffff", "attributes": "owner-rw", "size": 1}]})")},
      {"nv-index-high", false, doc(R"({"nv": [{"index": 33554432, "attributes": "owner-rw", "size": 1}]})")},
      {"nv-no-attributes", false, doc(R"({"nv": [{"index": 16777216, "size": 1}]})")},
      {"nv-preset-bad", false, doc(R"({"nv": [{"index": 16777216, "attributes": "world-rw", "size": 1}]})")},
      {"nv-data-and-file", false, doc(R"({"nv": [{"index": 16777216, "attributes": "owner-rw", "data": "00", "file": "img.bin"}]})")},
      {"nv-data-odd", false, doc(R"({"nv": [{"index": 16777216, "attributes": "owner-rw", "data": "0"}]})")},
      {"nv-size-0", false, doc(R"({"nv": [{"index": 16777216, "attributes": "owner-rw", "size": 0}]})")},
      {"nv-size-big", false, doc(R"({"nv": [{"index": 16777216, "attributes": "owner-rw", "size": "0x801"}]})")},
      {"nv-extra", false, doc(R"({"nv": [{"index": 16777216, "attributes": "owner-rw", "size": 1, "auth": ""}]})")},
      {"loc-0", false, doc(R"({"localities_open": [0]})")},
      {"loc-4", false, doc(R"({"localities_open": [4]})")},
      {"loc-dup", false, doc(R"({"localities_open": [1, 1]})")},
      {"fail-no-rc", false, doc(R"({"faults": {"fail_command": [{"code": "TPM2_Startup"}]}})")},
      {"fail-rc-0", false, doc(R"({"faults": {"fail_command": [{"code": "TPM2_Startup", "rc": 0}]}})")},
      {"fail-rc-big", false, doc(R"({"faults": {"fail_command": [{"code": "TPM2_Startup", "rc": "0x100000000"}]}})")},
      {"fail-code-bare", false, doc(R"({"faults": {"fail_command": [{"code": "Startup", "rc": 1}]}})")},
      {"faults-unknown", false, doc(R"({"faults": {"hang": 1}})")},
      {"ready-delay-neg", false, doc(R"({"faults": {"ready_delay_reads": -1}})")},
      {"ready-delay-str", false, doc(R"({"faults": {"ready_delay_reads": "1"}})")},
      {"stop-after-neg", false, doc(R"({"faults": {"stop_answering_after": -1}})")},
      {"log-no-format", false, doc(R"({"event_log": {"address": 0, "size": 1}})")},
      {"log-format", false, doc(R"({"event_log": {"address": 0, "size": 1, "format": "efi"}})")},
      {"log-size-0", false, doc(R"({"event_log": {"address": 0, "size": 0, "format": "tcg2"}})")},
      {"log-size-big", false, doc(R"({"event_log": {"address": 0, "size": 67108865, "format": "tcg2"}})")},
      {"expect-pcr-bank", false, doc("", R"({"pcrs": {"md5": {}}})")},
      {"expect-pcr-index", false, doc("", R"({"pcrs": {"sha1": {"24": ")" + z1 + R"("}}})")},
      {"expect-pcr-len", false, doc("", R"({"pcrs": {"sha256": {"0": ")" + z1 + R"("}}})")},
      {"expect-replays-false", false, doc("", R"({"event_log_replays": false})")},
      {"expect-tpm-unknown", false, doc("", R"({"tpm": {"hung": true}})")},
      {"expect-tpm-loc-5", false, doc("", R"({"tpm": {"active_locality": 5}})")},
      {"expect-tpm-cmd-loc", false, doc("", R"({"tpm": {"commands_at_locality": {"5": 1}}})")},
      {"expect-tpm-established", false, doc("", R"({"tpm": {"established": "yes"}})")},
  };
}

TEST(TpmScenarioSchema, SchemaAndParserAgree) { expectSchemaAndParserAgree(cases(), {&tpmPlatformModel()}); }

}  // namespace
}  // namespace dlsim
