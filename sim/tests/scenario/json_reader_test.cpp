// Tests of the strict JSON reader: number forms, ranges, unknown keys,
// pointer escaping, duplicate keys and malformed-JSON positions.
#include "sim/scenario/json_reader.h"

#include <gtest/gtest.h>

#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using testing_scenario::expectInputError;
using json = nlohmann::json;

uint64_t u64Of(const json& j, uint64_t min = 0, uint64_t max = UINT64_MAX) {
  return JsonValue(j, "f.json", "/x").u64(min, max);
}

TEST(JsonReader, U64AcceptsIntegersHexAndDecimalStrings) {
  EXPECT_EQ(u64Of(json(0)), 0u);
  EXPECT_EQ(u64Of(json(0x7c00)), 0x7c00u);
  EXPECT_EQ(u64Of(json("0x7C00")), 0x7c00u);
  EXPECT_EQ(u64Of(json("0xffffffffffffffff")), UINT64_MAX);
  EXPECT_EQ(u64Of(json("0x00000000000000000001")), 1u);  // leading zeros do not overflow
  EXPECT_EQ(u64Of(json("18446744073709551615")), UINT64_MAX);
  EXPECT_EQ(u64Of(json("31744")), 31744u);
  EXPECT_EQ(u64Of(json::parse("18446744073709551615")), UINT64_MAX);
  EXPECT_EQ(u64Of(json::parse("4096.0")), 4096u);  // JSON numbers: 4096.0 is the integer 4096
}

TEST(JsonReader, U64RejectsBadForms) {
  expectInputError([] { u64Of(json("0x")); }, {"f.json: /x: ", "\"0x\"", "not a valid number"});
  expectInputError([] { u64Of(json("0xzz")); }, {"f.json: /x: \"0xzz\""});
  expectInputError([] { u64Of(json("0X10")); }, {"\"0X10\""});
  expectInputError([] { u64Of(json(" 10")); }, {"\" 10\""});
  expectInputError([] { u64Of(json("")); }, {"f.json: /x: \"\""});
  expectInputError([] { u64Of(json("-1")); }, {"\"-1\""});
  expectInputError([] { u64Of(json(-1)); }, {"f.json: /x: -1 is negative"});
  expectInputError([] { u64Of(json(1.5)); }, {"f.json: /x: 1.5"});
  expectInputError([] { u64Of(json("0x10000000000000000")); }, {"\"0x10000000000000000\" does not fit in 64 bits"});
  expectInputError([] { u64Of(json("18446744073709551616")); }, {"does not fit in 64 bits"});
  expectInputError([] { u64Of(json::parse("18446744073709551616")); }, {"f.json: /x: "});
  expectInputError([] { u64Of(json(true)); }, {"f.json: /x: true is not a number"});
  expectInputError([] { u64Of(json(0x100000), 0, 0xfffff); }, {"f.json: /x: 1048576 is out of range 0x0..0xfffff"});
  expectInputError([] { u64Of(json("0x0"), 1); }, {"\"0x0\" is out of range 0x1..0xffffffffffffffff"});
}

TEST(JsonReader, IntegerIsPlainAndRanged) {
  EXPECT_EQ(JsonValue(json(64), "f").integer(1, 64), 64);
  expectInputError([] { JsonValue(json(65), "f", "/c").integer(1, 64); }, {"f: /c: 65 is out of range 1..64"});
  expectInputError([] { JsonValue(json(-3), "f", "/c").integer(0, 5); }, {"f: /c: -3 is out of range 0..5"});
  expectInputError([] { JsonValue(json("1"), "f", "/c").integer(1, 64); }, {"f: /c: \"1\" is not an integer"});
  expectInputError([] { JsonValue(json(2.5), "f", "/c").integer(1, 64); }, {"f: /c: 2.5 is not an integer"});
}

TEST(JsonReader, StringsAndChoices) {
  EXPECT_EQ(JsonValue(json("amd"), "f").choice<int>({{"intel", 1}, {"amd", 2}}), 2);
  expectInputError([] { JsonValue(json("arm"), "f", "/v").choice<int>({{"intel", 1}, {"amd", 2}}); },
                   {"f: /v: \"arm\" is not one of \"intel\", \"amd\""});
  expectInputError([] { JsonValue(json(""), "f", "/s").string(1); }, {"f: /s: must not be empty"});
  expectInputError([] { JsonValue(json("abc"), "f", "/s").string(0, 2); }, {"\"abc\" is longer than 2"});
  expectInputError([] { JsonValue(json(std::string("a\0b", 3)), "f", "/s").string(); }, {"f: /s: ", "NUL"});
  expectInputError([] { JsonValue(json(3), "f", "/s").string(); }, {"f: /s: 3 is not a string"});
}

TEST(JsonReader, ObjectReaderRejectsUnknownKeysAtTheirOwnPointer) {
  json doc = json::parse(R"({"a": {"known": 1, "ex~tra/key": 2}})");
  JsonValue root(doc, "f.json");
  JsonObjectReader top = root.object();
  JsonObjectReader inner = top.required("a").object();
  EXPECT_EQ(inner.required("known").integer(0, 9), 1);
  expectInputError([&] { inner.finish(); }, {"f.json: /a/ex~0tra~1key: unknown key \"ex~tra/key\" (allowed: known)"});
  top.finish();  // "a" was declared
}

TEST(JsonReader, AllowOnlyChecksBeforeAnythingIsRead) {
  json doc = json::parse(R"({"a": 1, "b": 2})");
  JsonValue root(doc, "f.json");
  expectInputError([&] { root.object({"a", "c"}); }, {"f.json: /b: unknown key \"b\" (allowed: a, c)"});
  // Allowed up front but never asked for: finish() still rejects it.
  JsonObjectReader o = root.object({"a", "b"});
  o.required("a");
  expectInputError([&] { o.finish(); }, {"f.json: /b: unknown key \"b\" (allowed: a)"});
}

TEST(JsonReader, MissingKeyAndWrongContainerTypes) {
  json doc = json::parse(R"({"list": [1, {"k": 2}], "obj": 3})");
  JsonObjectReader o = JsonValue(doc, "f.json").object();
  expectInputError([&] { o.required("nope"); }, {"f.json: /: missing required key \"nope\""});
  expectInputError([&] { o.required("obj").object(); }, {"f.json: /obj: 3 is not an object"});
  expectInputError([&] { o.required("obj").array(); }, {"f.json: /obj: 3 is not an array"});
  expectInputError([&] { o.required("list").array(3, 4); }, {"f.json: /list: has 2 entries; expected 3..4"});
  std::vector<JsonValue> items = o.required("list").array();
  EXPECT_EQ(items[1].pointer(), "/list/1");
  EXPECT_EQ(items[1].object().required("k").pointer(), "/list/1/k");
}

TEST(JsonReader, MalformedJsonNamesLineAndColumn) {
  // The stray 'x' is on line 3, column 5 (1-based).
  std::string text = "{\n  \"a\": 1,\n    x\n}";
  expectInputError([&] { parseJsonText(text, "bad.json"); }, {"bad.json:3:5: malformed JSON"});
  // A missing closing brace is reported at the end of input: line 2, column 9.
  expectInputError([&] { parseJsonText("{\n  \"a\": 1", "bad.json"); }, {"bad.json:2:9: malformed JSON"});
  expectInputError([&] { parseJsonText("", "empty.json"); }, {"empty.json:1:1: malformed JSON"});
}

TEST(JsonReader, DuplicateKeysAreErrorsWithTheirPointer) {
  expectInputError([] { parseJsonText(R"({"a": [0, {"b": 1, "b": 2}]})", "d.json"); },
                   {"d.json: /a/1/b: duplicate key"});
  expectInputError([] { parseJsonText(R"({"m": {"x": [1,[2]], "y": 1}, "m": 1})", "d.json"); },
                   {"d.json: /m: duplicate key"});
  // Same key in different objects is fine.
  json ok = parseJsonText(R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}]})", "d.json");
  EXPECT_EQ(ok["c"][1]["k"], 2);
}

TEST(JsonReader, DeepNestingIsAnInputErrorNotACrash) {
  // 100,000 levels: copying, printing or freeing such a document recurses
  // once per level and would overflow the stack.
  std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  expectInputError([&] { parseJsonText(deep, "deep.json"); },
                   {"deep.json:1:518: malformed JSON", "nested deeper than 512 levels"});
  // Brackets inside strings do not count, and 512 levels are fine.
  std::string fine = "{\"s\": \"[[[[\\\"{{{{\", \"a\": " + std::string(511, '[') + std::string(511, ']') + "}";
  EXPECT_EQ(parseJsonText(fine, "fine.json")["s"], "[[[[\"{{{{");
}

TEST(JsonReader, MissingFileIsAnInputError) {
  expectInputError([] { readJsonFile("/nonexistent/dir/s.json"); }, {"/nonexistent/dir/s.json: cannot open file"});
  // A directory opens like a file on Linux and reads as nothing: named as what it is.
  expectInputError([] { readJsonFile("/tmp"); }, {"/tmp: is a directory"});
}

}  // namespace
}  // namespace dlsim
