// System.map-format symbol files (sim/symbol_map.h): parsing, nearest-symbol
// lookup with its bounds, deterministic ties, and file:line errors.
#include "sim/symbol_map.h"

#include <gtest/gtest.h>

#include <fstream>

#include "sim/errors.h"

namespace dlsim {
namespace {

std::string errorOf(const std::string& text) {
  try {
    SymbolMap m;
    m.addText(text, "syms");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SymbolMap, LooksUpTheNearestPrecedingTextOrDataSymbol) {
  SymbolMap m;
  // Lines as /boot/tboot-syms has them, out of order, with an absolute
  // symbol (A) and an undefined one (U) that never name an address.
  m.addText(
      "00804010 T _post_launch_entry\n"
      "00804000 T start\n"
      "00800000 t multiboot_header\n"
      "00805000 A some_absolute\n"
      "00000000 U undefined_thing\n"
      "02a88d40 b rsp_buf\n"
      "00900000 D g_data\n"
      "00910000 r ro_thing\n",
      "tboot-syms");
  EXPECT_EQ(m.size(), 6u);
  EXPECT_EQ(m.describe(0x804000), "start");
  EXPECT_EQ(m.describe(0x804001), "start+0x1");
  EXPECT_EQ(m.describe(0x80400f), "start+0xf");
  EXPECT_EQ(m.describe(0x804010), "_post_launch_entry");
  EXPECT_EQ(m.describe(0x805004), "_post_launch_entry+0xff4");  // the A symbol is skipped
  EXPECT_EQ(m.describe(0x900010), "g_data+0x10");
  EXPECT_EQ(m.describe(0x910000), "ro_thing");
  EXPECT_EQ(m.describe(0x2a88d48), "rsp_buf+0x8");
  // Before the first symbol: nothing.
  EXPECT_EQ(m.describe(0x7fffff), "");
  EXPECT_EQ(m.lookup(0), nullptr);
  // Further than kMaxOffset past the nearest symbol: nothing.
  EXPECT_EQ(m.describe(0x804010 + SymbolMap::kMaxOffset), "_post_launch_entry+0x10000");
  EXPECT_EQ(m.describe(0x804010 + SymbolMap::kMaxOffset + 1), "");
  EXPECT_EQ(m.describe(0x2a88d40 + 0x100000), "");
}

TEST(SymbolMap, TiesAtOneAddressGoToTheFirstNameWhateverTheOrder) {
  SymbolMap a, b;
  a.addText("00804000 T start\n00804000 T _start\n00804000 T _mle_start\n", "a");
  b.addText("00804000 T _mle_start\n00804000 T start\n00804000 T _start\n", "b");
  EXPECT_EQ(a.describe(0x804004), "_mle_start+0x4");
  EXPECT_EQ(b.describe(0x804004), "_mle_start+0x4");
}

TEST(SymbolMap, AcceptsSpacingVariantsAndCrLf) {
  SymbolMap m;
  m.addText("\n  ffffffff81000000\tT\t_text\r\n\nffffffff81000100 t helper [module]\n", "kallsyms-like");
  EXPECT_EQ(m.describe(0xffffffff81000004ull), "_text+0x4");
  EXPECT_EQ(m.describe(0xffffffff81000100ull), "helper");
  SymbolMap empty;
  empty.addText("", "empty");
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.describe(0x1000), "");
}

TEST(SymbolMap, BadLinesNameTheFileAndLine) {
  EXPECT_NE(errorOf("00804000 T start\nzz804000 T bad\n").find("syms:2: address is not hexadecimal"), std::string::npos);
  EXPECT_NE(errorOf("00804000\n").find("syms:1: no symbol type"), std::string::npos);
  EXPECT_NE(errorOf("00804000 T\n").find("syms:1: no symbol name"), std::string::npos);
  EXPECT_NE(errorOf("\n\n00804000 Tx name\n").find("syms:3: symbol type is not one letter"), std::string::npos);
  EXPECT_NE(errorOf("00804000 7 name\n").find("syms:1: symbol type is not one letter"), std::string::npos);
  EXPECT_NE(errorOf("11223344556677889 T big\n").find("syms:1: address has more than 16 hex digits"),
            std::string::npos);
  EXPECT_NE(errorOf("1 T a\x01z\n").find("syms:1: symbol name has a control character"), std::string::npos);
  EXPECT_NE(errorOf("1 T a\n2 T b\n\x7f" "ELF\x01\x01\n").find("syms:3: "), std::string::npos);
}

TEST(SymbolMap, AddFileReadsAFileAndNamesAMissingOne) {
  const std::string path = ::testing::TempDir() + "dlsim_symbol_map_test.map";
  {
    std::ofstream out(path);
    out << "00100000 T entry\n00100020 t loop\n";
  }
  SymbolMap m;
  m.addFile(path);
  EXPECT_EQ(m.describe(0x100024), "loop+0x4");
  try {
    m.addFile(path + ".missing");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ".missing: symbol file does not exist"), std::string::npos);
  }
}

}  // namespace
}  // namespace dlsim
