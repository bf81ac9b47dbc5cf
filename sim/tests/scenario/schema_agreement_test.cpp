// The JSON Schema (scenarios/schema/scenario.schema.json, checked by
// check_scenarios.py with python3-jsonschema) and dlsim's own parser
// (loadScenario + parseExpectations) must reach the same verdict on every
// document here. Each case also states the intended verdict, so the two
// cannot agree on a wrong answer. Rules the schema cannot express (region
// overlap, file existence, stop.cpu < cpus, ...) are deliberately absent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/tests/scenario/schema_agreement.h"

namespace dlsim {
namespace {

using testing_scenario::expectSchemaAndParserAgree;
using testing_scenario::SchemaCase;

// Builds a document from the minimal flat scenario with `extraTop` spliced
// into the top level, `machine` replacing the machine body and `load`
// replacing the load list.
std::string doc(const std::string& extraTop = "", const std::string& machine = R"("memory": [{"base": 0, "size": "0xa0000"}])",
                const std::string& load = R"([{"type": "flat", "file": "img.bin", "address": "0x7c00"}])",
                const std::string& entry = R"({"mode": "real", "address": "0x7c00"})") {
  std::string s = "{\n  \"name\": \"t\",\n  \"machine\": {" + machine + "},\n  \"load\": " + load;
  if (!entry.empty()) s += ",\n  \"entry\": " + entry;
  if (!extraTop.empty()) s += ",\n  " + extraTop;
  return s + "\n}\n";
}

std::string withExpect(const std::string& body) { return doc("\"expect\": " + body); }
std::string withEntry(const std::string& entry) { return doc("", R"("memory": [{"base": 0, "size": "0xa0000"}])",
                                                             R"([{"type": "flat", "file": "img.bin", "address": "0x7c00"}])", entry); }
std::string withMachine(const std::string& machine) { return doc("", machine); }
std::string withLoad(const std::string& load) {
  return doc("", R"("memory": [{"base": 0, "size": "0xa0000"}])", load);
}

std::vector<SchemaCase> cases() {
  std::string mem = R"("memory": [{"base": 0, "size": "0xa0000"}])";
  return {
      // ---- valid
      {"minimal", true, doc()},
      {"schema-key", true, doc(R"("$schema": "../schema/scenario.schema.json", "description": "d")")},
      {"full-machine", true, withMachine(R"("cpus": 2, "vendor": "amd",
          "cpuid": {"family": 23, "model": 1, "stepping": 2, "features": {"add": ["svm"], "remove": []}},
          "memory": [{"base": "0x0", "size": "0x9f000", "name": "low"}, {"base": "1048576", "size": 1048576}],
          "e820": [{"addr": 0, "size": "0x9fc00", "type": "ram"}, {"addr": "0x9fc00", "size": 1024, "type": "acpi"}],
          "seed": "18446744073709551615", "quantum_blocks": 1000000, "max_instructions": "0x1", "boot_gdt": "4294967295")")},
      {"integral-float", true, withMachine(R"("memory": [{"base": 0, "size": 4096.0}])")},
      {"elf-no-entry", true, doc("", mem, R"([{"type": "elf", "file": "img.bin"}])", "")},
      {"all-loaders", true, doc("", mem, R"([
          {"type": "multiboot1", "file": "img.bin", "cmdline": "a", "modules": [{"file": "img.bin", "cmdline": "m"}], "info_address": "0xffffffff"},
          {"type": "multiboot2", "file": "img.bin"},
          {"type": "bzimage", "file": "img.bin", "cmdline": "console=ttyS0", "initrd": "img.bin"}])", "")},
      {"symbols-and-nounzip", true, doc("", mem, R"([
          {"type": "multiboot2", "file": "img.bin", "symbols": "img.bin",
           "modules": [{"file": "img.bin", "nounzip": true}, {"file": "img.bin", "nounzip": false}]},
          {"type": "flat", "file": "img.bin", "address": 0, "symbols": "img.bin"}])", "")},
      {"nounzip-not-boolean", false, doc("", mem, R"([{"type": "multiboot1", "file": "img.bin", "modules": [{"file": "img.bin", "nounzip": 1}]}])", "")},
      {"nounzip-on-image", false, doc("", mem, R"([{"type": "multiboot2", "file": "img.bin", "nounzip": true}])", "")},
      {"symbols-not-string", false, doc("", mem, R"([{"type": "elf", "file": "img.bin", "symbols": 1}])", "")},
      {"real-cs", true, withEntry(R"({"mode": "real", "cs": "0xf000", "address": "0xfff0", "registers": {"eax": "4294967295"}})")},
      {"real-linear-max", true, withEntry(R"({"mode": "real", "address": "1048575"})")},
      {"long-regs", true, withEntry(R"({"mode": "long", "address": "0xffffffff", "registers": {"r15": "0xffffffffffffffff", "ebx": 1}})")},
      {"stop", true, doc(R"("stop": {"at": "0x7c10", "cpu": 0})")},
      {"expected-failure", true, doc(R"("expected_failure": {"reason": "bug #1"})")},
      {"expect-full", true, withExpect(R"({
          "stop": {"reason": "all-cpus-halted", "cpu": 0, "address": "0x7c20"},
          "cpus": [{"id": 0, "state": "halted", "mode": "real", "registers": {"rax": 1, "eip": "0x7c21", "cr0": "0x10", "r9d": 5}}],
          "memory": [{"address": "0x1000", "bytes": "DEADbeef"},
                     {"address": 0, "size": "0x100", "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}],
          "serial": {"port": "com2", "contains": ["Hello"], "matches": ["^boot ok$"]},
          "vga": {"contains": ["OK"]},
          "instructions": {"min": 1, "max": "100000"}})")},
      {"expect-empty", true, withExpect("{}")},
      {"launch-rules-default", true, doc(R"("launch_rules": {"default": "stop", "rules": {}})")},
      {"launch-rules-empty", true, doc(R"("launch_rules": {})")},
      {"expect-stop-launch-rule", true, withExpect(R"({"stop": {"reason": "launch-rule"}})")},
      {"launch-rules-bad-mode", false, doc(R"("launch_rules": {"default": "halt"})")},
      {"launch-rules-unknown-key", false, doc(R"("launch_rules": {"mode": "stop"})")},
      {"launch-rules-bad-rule-mode", false, doc(R"("launch_rules": {"rules": {"a.b": 1}})")},
      // ---- invalid: structure
      {"malformed", false, "{\"name\": \"t\",\n"},
      {"duplicate-key", false, doc(R"("name": "u")")},
      {"not-object", false, "[1]"},
      {"unknown-top", false, doc(R"("result": "pass")")},
      {"unknown-nested", false, withMachine(R"("memory": [{"base": 0, "size": "0x1000", "flags": 1}])")},
      {"flat-cmdline", false, withLoad(R"([{"type": "flat", "file": "img.bin", "address": 0, "cmdline": "x"}])")},
      {"elf-address", false, doc("", mem, R"([{"type": "elf", "file": "img.bin", "address": 0}])", "")},
      {"flat-no-address", false, withLoad(R"([{"type": "flat", "file": "img.bin"}])")},
      {"no-entry", false, doc("", mem, R"([{"type": "flat", "file": "img.bin", "address": 0}])", "")},
      {"no-memory", false, withMachine(R"("cpus": 1)")},
      {"load-empty", false, withLoad("[]")},
      {"bad-load-type", false, withLoad(R"([{"type": "pe", "file": "img.bin"}])")},
      {"other-at-prefix", false, withLoad(R"([{"type": "flat", "file": "@other/img.bin", "address": 0}])")},
      {"cmdline-nul", false, doc("", mem, R"([{"type": "multiboot1", "file": "img.bin", "cmdline": "a\u0000b"}])", "")},
      {"info-address-4g", false, doc("", mem, R"([{"type": "multiboot2", "file": "img.bin", "info_address": "0x100000000"}])", "")},
      // ---- invalid: values
      {"cpus-0", false, withMachine(R"("cpus": 0, )" + mem)},
      {"cpus-string", false, withMachine(R"("cpus": "2", )" + mem)},
      {"cpus-float", false, withMachine(R"("cpus": 1.5, )" + mem)},
      {"vendor", false, withMachine(R"("vendor": "via", )" + mem)},
      {"family", false, withMachine(R"("cpuid": {"family": 271}, )" + mem)},
      {"feature-empty", false, withMachine(R"("cpuid": {"features": {"add": [""]}}, )" + mem)},
      {"name-case", false, "{\"name\": \"Boot\"" + doc().substr(doc().find(','))},
      {"name-long", false, "{\"name\": \"" + std::string(65, 'a') + "\"" + doc().substr(doc().find(','))},
      {"base-unaligned-hex", false, withMachine(R"("memory": [{"base": "0x800", "size": "0x1000"}])")},
      {"size-unaligned", false, withMachine(R"("memory": [{"base": 0, "size": 4097}])")},
      {"size-zero", false, withMachine(R"("memory": [{"base": 0, "size": "0x0"}])")},
      {"bad-hex", false, withMachine(R"("seed": "0xzz", )" + mem)},
      {"upper-x", false, withMachine(R"("seed": "0X10", )" + mem)},
      {"negative", false, withMachine(R"("seed": -1, )" + mem)},
      {"hex-overflow", false, withMachine(R"("seed": "0x10000000000000000", )" + mem)},
      {"dec-overflow", false, withMachine(R"("seed": "18446744073709551616", )" + mem)},
      {"quantum-0", false, withMachine(R"("quantum_blocks": 0, )" + mem)},
      {"max-instr-0", false, withMachine(R"("max_instructions": "0x000", )" + mem)},
      {"boot-gdt-4g", false, withMachine(R"("boot_gdt": "4294967296", )" + mem)},
      {"e820-type", false, withMachine(mem + R"(, "e820": [{"addr": 0, "size": 1, "type": "free"}])")},
      {"e820-size-0", false, withMachine(mem + R"(, "e820": [{"addr": 0, "size": 0, "type": "ram"}])")},
      {"e820-empty", false, withMachine(mem + R"(, "e820": [])")},
      {"entry-cs-protected", false, withEntry(R"({"mode": "protected", "cs": 0, "address": 0})")},
      {"entry-real-cs-ip", false, withEntry(R"({"mode": "real", "cs": 0, "address": "0x10000"})")},
      {"entry-real-linear", false, withEntry(R"({"mode": "real", "address": "0x100000"})")},
      {"entry-protected-4g", false, withEntry(R"({"mode": "protected", "address": "4294967296"})")},
      {"entry-rax-protected", false, withEntry(R"({"mode": "protected", "address": 0, "registers": {"rax": 1}})")},
      {"entry-eax-rax", false, withEntry(R"({"mode": "long", "address": 0, "registers": {"eax": 1, "rax": 1}})")},
      {"entry-eax-wide", false, withEntry(R"({"mode": "long", "address": 0, "registers": {"eax": "0x100000000"}})")},
      {"entry-bad-reg", false, withEntry(R"({"mode": "long", "address": 0, "registers": {"eip": 0}})")},
      {"stop-cpu-no-at", false, doc(R"("stop": {"cpu": 0})")},
      {"reason-empty", false, doc(R"("expected_failure": {"reason": ""})")},
      // ---- invalid: expect
      {"expect-null", false, withExpect("null")},
      {"expect-result", false, withExpect(R"({"result": "pass"})")},
      {"expect-stop-reason", false, withExpect(R"({"stop": {"reason": "halted"}})")},
      {"expect-cpu-no-id", false, withExpect(R"({"cpus": [{"state": "halted"}]})")},
      {"expect-cpu-id-64", false, withExpect(R"({"cpus": [{"id": 64}]})")},
      {"expect-cpu-state", false, withExpect(R"({"cpus": [{"id": 0, "state": "sleeping"}]})")},
      {"expect-reg-unknown", false, withExpect(R"({"cpus": [{"id": 0, "registers": {"xmm0": 0}}]})")},
      {"expect-reg-narrow-wide", false, withExpect(R"({"cpus": [{"id": 0, "registers": {"eax": "0x100000000"}}]})")},
      {"expect-mem-both", false, withExpect(R"({"memory": [{"address": 0, "bytes": "00", "size": 1, "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]})")},
      {"expect-mem-odd", false, withExpect(R"({"memory": [{"address": 0, "bytes": "abc"}]})")},
      {"expect-mem-nothex", false, withExpect(R"({"memory": [{"address": 0, "bytes": "zz"}]})")},
      {"expect-mem-size-only", false, withExpect(R"({"memory": [{"address": 0, "size": 4}]})")},
      {"expect-sha-short", false, withExpect(R"({"memory": [{"address": 0, "size": 1, "sha256": "e3b0"}]})")},
      {"expect-serial-port", false, withExpect(R"({"serial": {"port": "com3"}})")},
      {"expect-serial-empty", false, withExpect(R"({"serial": {"contains": [""]}})")},
      {"expect-vga-matches", false, withExpect(R"({"vga": {"matches": ["x"]}})")},
      {"expect-instr", false, withExpect(R"({"instructions": {"min": "x"}})")},
      // ---- acpi (raw table files are checked by the parser only)
      {"acpi-empty", true, doc(R"("acpi": {})")},
      {"acpi-all", true, doc(R"("acpi": {"build": false, "oem_id": "ABCDEF", "oem_table_id": "T", "oem_revision": "0xffffffff", "rsdp_address": "0xf0000", "tables_address": "0x80000", "tables": []})")},
      {"acpi-unknown", false, doc(R"("acpi": {"rsdp": 0})")},
      {"acpi-build-string", false, doc(R"("acpi": {"build": "yes"})")},
      {"acpi-oem-id-long", false, doc(R"("acpi": {"oem_id": "ABCDEFG"})")},
      {"acpi-oem-id-empty", false, doc(R"("acpi": {"oem_id": ""})")},
      {"acpi-oem-table-id-long", false, doc(R"("acpi": {"oem_table_id": "123456789"})")},
      {"acpi-oem-revision-big", false, doc(R"("acpi": {"oem_revision": "0x100000000"})")},
      {"acpi-table-no-file", false, doc(R"("acpi": {"tables": [{}]})")},
  };
}

TEST(ScenarioSchema, SchemaAndParserAgree) { expectSchemaAndParserAgree(cases()); }

}  // namespace
}  // namespace dlsim
