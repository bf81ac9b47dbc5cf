// The BMI1 / ABM / POPCNT instructions dlsim executes itself
// (cpu_model/bit_instructions.h): every instruction with register and memory
// sources, 16/32/64-bit operands, in 32- and 64-bit mode, with CR0.TS clear
// and set (Unicorn raises #NM for the VEX ones then; a real CPU does not),
// and #UD, BSF or BSR when CPUID lacks the bit. Expected values come from
// the manuals' definitions, computed here bit by bit.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cpu_model/cpuid_profile.h"
#include "cpu_model/testkit/assemble.h"
#include "cpu_model/testkit/cpu_rig.h"

namespace dlsim {
namespace {

using test::assemble;
using test::CpuRig;
using test::RigOptions;

constexpr uint64_t kCF = 0x1, kPF = 0x4, kAF = 0x10, kZF = 0x40, kSF = 0x80, kOF = 0x800;
constexpr uint64_t kStatus = kCF | kPF | kAF | kZF | kSF | kOF;

enum class Op { Andn, Bextr, Blsi, Blsmsk, Blsr, Tzcnt, Lzcnt, Popcnt };

struct Case {
  Op op;
  int bits;        // operand size
  bool memory;     // the r/m source in memory
  uint64_t a = 0;  // ANDN's first source (VEX.vvvv), BEXTR's control
  uint64_t b = 0;  // the r/m source
  uint64_t flagsBefore = 2;
};

struct Result {
  uint64_t value;      // the destination, `bits` wide; unchanged when !written
  bool written;
  uint64_t flags;      // the defined flags' values
  uint64_t defined;    // which flags the manual defines
};

uint64_t maskOf(int bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }
bool bit(uint64_t v, int i) { return (v >> i) & 1; }
int lowestSet(uint64_t v, int bits) {
  for (int i = 0; i < bits; ++i)
    if (bit(v, i)) return i;
  return -1;
}
int highestSet(uint64_t v, int bits) {
  for (int i = bits - 1; i >= 0; --i)
    if (bit(v, i)) return i;
  return -1;
}
uint64_t sz(uint64_t v, int bits) { return (bit(v, bits - 1) ? kSF : 0) | (v == 0 ? kZF : 0); }

// The result as AMD APM vol. 3 / the SDM define it, for a CPU that has the
// instruction.
Result reference(const Case& c) {
  const uint64_t a = c.a & maskOf(c.bits), b = c.b & maskOf(c.bits);
  const int low = lowestSet(b, c.bits), high = highestSet(b, c.bits);
  uint64_t r = 0;
  switch (c.op) {
    case Op::Andn:  // SF ZF from the result, OF CF cleared
      for (int i = 0; i < c.bits; ++i)
        if (!bit(a, i) && bit(b, i)) r |= 1ull << i;
      return {r, true, sz(r, c.bits), kSF | kZF | kOF | kCF};
    case Op::Bextr: {  // ZF from the result, CF OF cleared
      const int start = int(a & 0xff), len = int((a >> 8) & 0xff);
      for (int i = 0; i < len && start + i < c.bits; ++i)
        if (bit(b, start + i)) r |= 1ull << i;
      return {r, true, r == 0 ? kZF : 0, kZF | kOF | kCF};
    }
    case Op::Blsi:  // SF ZF from the result, CF = source not zero, OF cleared
      r = low < 0 ? 0 : 1ull << low;
      return {r, true, sz(r, c.bits) | (b != 0 ? kCF : 0), kSF | kZF | kOF | kCF};
    case Op::Blsmsk:  // SF from the result, CF = source zero, ZF OF cleared
      r = low < 0 ? maskOf(c.bits) : maskOf(low + 1);
      return {r, true, (bit(r, c.bits - 1) ? kSF : 0) | (b == 0 ? kCF : 0), kSF | kZF | kOF | kCF};
    case Op::Blsr:  // SF ZF from the result, CF = source zero, OF cleared
      r = low < 0 ? 0 : b & ~(1ull << low);
      return {r, true, sz(r, c.bits) | (b == 0 ? kCF : 0), kSF | kZF | kOF | kCF};
    case Op::Tzcnt:  // CF = source zero, ZF = result zero
      r = low < 0 ? uint64_t(c.bits) : uint64_t(low);
      return {r, true, (b == 0 ? kCF : 0) | (r == 0 ? kZF : 0), kCF | kZF};
    case Op::Lzcnt:
      r = high < 0 ? uint64_t(c.bits) : uint64_t(c.bits - 1 - high);
      return {r, true, (b == 0 ? kCF : 0) | (r == 0 ? kZF : 0), kCF | kZF};
    case Op::Popcnt:  // ZF = source zero, the other status flags cleared
      for (int i = 0; i < c.bits; ++i) r += bit(b, i);
      return {r, true, b == 0 ? kZF : 0, kStatus};
  }
  return {};
}

// BSF / BSR, what F3 0F BC / BD are on a CPU without TZCNT / LZCNT: ZF =
// source zero, the destination unchanged then (APM).
Result bsfBsr(const Case& c) {
  const uint64_t b = c.b & maskOf(c.bits);
  if (b == 0) return {0, false, kZF, kZF};
  const int i = c.op == Op::Tzcnt ? lowestSet(b, c.bits) : highestSet(b, c.bits);
  return {uint64_t(i), true, 0, kZF};
}

const char* mnemonic(Op op) {
  switch (op) {
    case Op::Andn: return "andn";
    case Op::Bextr: return "bextr";
    case Op::Blsi: return "blsi";
    case Op::Blsmsk: return "blsmsk";
    case Op::Blsr: return "blsr";
    case Op::Tzcnt: return "tzcnt";
    case Op::Lzcnt: return "lzcnt";
    case Op::Popcnt: return "popcnt";
  }
  return "";
}

constexpr uint64_t kData = 0x4000;   // case i's memory source at kData + 8i
constexpr uint64_t kOut = 0x20000;   // case i's destination and flags at kOut + 16i
constexpr uint64_t kSentinel = 0x5a5a5a5a5a5a5a5aull;

std::string regName(char r, int bits) {  // r: 'a' 'b' 'c' 'd'
  const std::string x = std::string(1, r) + "x";
  return bits == 64 ? "r" + x : bits == 32 ? "e" + x : x;
}

// Guest code that runs each case and stores RCX/ECX (the destination) and
// the flags after it.
std::string program(const std::vector<Case>& cases, bool wide) {
  std::ostringstream s;
  s << (wide ? "bits 64\n" : "bits 32\n") << "org 0x100000\n";
  const char* acc = wide ? "rdx" : "edx";
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::string size = c.bits == 64 ? "qword" : c.bits == 32 ? "dword" : "word";
    const std::string A = regName('a', c.bits), B = regName('b', c.bits), C = regName('c', c.bits);
    const std::string mem = size + " [" + std::to_string(kData + 8 * i) + "]";
    const std::string src = c.memory ? mem : B;
    if (wide) {
      s << "mov rax, " << c.a << "\nmov rbx, " << c.b << "\nmov rcx, " << kSentinel << "\n";
    } else {
      s << "mov eax, " << uint32_t(c.a) << "\nmov ebx, " << uint32_t(c.b) << "\nmov ecx, " << uint32_t(kSentinel)
        << "\n";
    }
    s << "push " << c.flagsBefore << "\n" << (wide ? "popfq" : "popfd") << "\n";
    switch (c.op) {
      case Op::Andn: s << "andn " << C << ", " << A << ", " << src << "\n"; break;
      case Op::Bextr: s << "bextr " << C << ", " << src << ", " << A << "\n"; break;
      default: s << mnemonic(c.op) << " " << C << ", " << src << "\n"; break;
    }
    s << (wide ? "pushfq" : "pushfd") << "\npop " << acc << "\n";
    s << "mov [" << kOut + 16 * i << "], " << (wide ? "rcx" : "ecx") << "\n";
    s << "mov [" << kOut + 16 * i + 8 << "], " << acc << "\n";
  }
  s << "hlt\n";
  return s.str();
}

// Identity page tables for the first 1 GiB (2 MiB pages) at 0x10000.
ArchState longMode(GuestMemory& mem, uint64_t entry) {
  const uint64_t at = 0x10000;
  mem.fill(at, 0, 0x3000);
  mem.writeValue<uint64_t>(at, (at + 0x1000) | 3);
  mem.writeValue<uint64_t>(at + 0x1000, (at + 0x2000) | 3);
  for (uint64_t i = 0; i < 512; ++i) mem.writeValue<uint64_t>(at + 0x2000 + i * 8, (i << 21) | 0x83);
  ArchState a;
  a.cr3 = at;
  a.cr4 = 1u << 5;
  a.efer = 1u << 8;
  a.cr0 = 0x80000011;
  a.cs = SegmentState::code64(0x08);
  a.ds = a.es = a.ss = a.fs = a.gs = SegmentState::flatData32(0x10);
  a.rip = entry;
  return a;
}

RigOptions amd() {
  RigOptions o;
  o.cpuid.vendor = Vendor::Amd;
  return o;
}

// Runs the cases on one CPU and checks each against `expect`.
template <typename Expect>
void runCases(const std::vector<Case>& cases, bool wide, bool ts, const RigOptions& options, Expect expect) {
  CpuRig rig(options);
  for (size_t i = 0; i < cases.size(); ++i) rig.memory().writeValue<uint64_t>(kData + 8 * i, cases[i].b);
  rig.load(0x100000, assemble(program(cases, wide)));
  ArchState a = wide ? longMode(rig.memory(), 0x100000) : CpuRig::flat32(0x100000);
  if (ts) a.cr0 |= 8;
  a.gprs[4] = 0x90000;  // RSP
  rig.cpu().setArchState(a);
  RunExit e = rig.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  const CpuObservation o = rig.cpu().observe();
  ASSERT_TRUE(o.exceptionChain.empty()) << o.exceptionChain[0];
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const Result r = expect(c);
    const uint64_t stored = wide ? 64 : 32;
    // The destination register as the CPU writes it: a 32-bit write clears
    // bits 63:32, a 16-bit one keeps the rest.
    uint64_t dest = kSentinel & maskOf(int(stored));
    if (r.written) dest = c.bits == 16 ? (dest & ~0xffffull) | r.value : r.value;
    const uint64_t flagsAfter = r.flags | (c.flagsBefore & ~r.defined & kStatus);  // undefined ones kept
    const std::string what = std::string(mnemonic(c.op)) + " " + std::to_string(c.bits) + "-bit " +
                             (c.memory ? "memory" : "register") + " a=" + std::to_string(c.a) +
                             " b=" + std::to_string(c.b) + " flags before=" + std::to_string(c.flagsBefore) +
                             (wide ? " (64-bit mode)" : " (32-bit mode)") + (ts ? " CR0.TS=1" : "");
    uint64_t got = 0, flags = 0;
    ASSERT_TRUE(rig.memory().readValue(kOut + 16 * i, got));
    ASSERT_TRUE(rig.memory().readValue(kOut + 16 * i + 8, flags));
    EXPECT_EQ(got & maskOf(int(stored)), dest) << what;
    EXPECT_EQ(flags & kStatus, flagsAfter) << what;
  }
}

std::vector<Case> casesFor(const std::vector<Op>& ops, const std::vector<int>& sizes) {
  const uint64_t values[] = {0, 1, 0x80, 0xf0f0, 0x80000000, 0xffffffff, 0x8000000000000000ull,
                             0x123456789abcdef0ull, 0xfffffffffffffffeull};
  const uint64_t controls[] = {0, 0xffff0f0full, 0x0804, 0x2000, 0x0810, 0x4000, 0x0040, 0x1f01, 0xff00, 0x201c};
  std::vector<Case> out;
  for (Op op : ops)
    for (int bits : sizes)
      for (bool memory : {false, true})
        for (size_t k = 0; k < std::size(values); ++k)
          for (uint64_t flags : {uint64_t{2}, uint64_t{2} | kStatus}) {
            Case c{op, bits, memory};
            c.b = values[k];
            c.a = op == Op::Bextr ? controls[k % std::size(controls)] : values[(k + 3) % std::size(values)];
            c.flagsBefore = flags;
            out.push_back(c);
          }
  return out;
}

const std::vector<Op> kVex = {Op::Andn, Op::Bextr, Op::Blsi, Op::Blsmsk, Op::Blsr};
const std::vector<Op> kCounts = {Op::Tzcnt, Op::Lzcnt, Op::Popcnt};

TEST(BitInstructions, VexFormsIn32BitMode) {
  for (bool ts : {false, true}) runCases(casesFor(kVex, {32}), false, ts, amd(), reference);
}

TEST(BitInstructions, VexFormsIn64BitMode) {
  for (bool ts : {false, true}) runCases(casesFor(kVex, {32, 64}), true, ts, amd(), reference);
}

TEST(BitInstructions, CountsIn32BitMode) {
  for (bool ts : {false, true}) runCases(casesFor(kCounts, {16, 32}), false, ts, amd(), reference);
}

TEST(BitInstructions, CountsIn64BitMode) {
  runCases(casesFor(kCounts, {16, 32, 64}), true, true, amd(), reference);
}

// Without BMI1 / ABM, F3 0F BC and F3 0F BD are BSF and BSR (the REP prefix
// ignored), as on a CPU that lacks them.
TEST(BitInstructions, TzcntAndLzcntAreBsfAndBsrWithoutTheCpuidBits) {
  RigOptions o = amd();
  o.cpuid.remove = {"bmi1", "abm"};
  runCases(casesFor({Op::Tzcnt, Op::Lzcnt}, {16, 32}), false, false, o, bsfBsr);
  runCases(casesFor({Op::Tzcnt, Op::Lzcnt}, {32, 64}), true, true, o, bsfBsr);
}

// #UD at the instruction (no IDT: the CPU shuts down with #UD first).
void expectUd(const std::string& code, const RigOptions& o, bool ts) {
  CpuRig rig(o);
  rig.load(0x100000, assemble("bits 32\norg 0x100000\n" + code + "\nhlt\n"));
  ArchState a = CpuRig::flat32(0x100000);
  if (ts) a.cr0 |= 8;
  rig.cpu().setArchState(a);
  rig.run();
  const CpuObservation obs = rig.cpu().observe();
  ASSERT_FALSE(obs.exceptionChain.empty()) << code;
  EXPECT_EQ(obs.exceptionChain[0].rfind("#UD", 0), 0u) << code << ": " << obs.exceptionChain[0];
  EXPECT_EQ(rig.cpu().ip(), 0x100000u) << code;
}

TEST(BitInstructions, UndefinedWithoutTheCpuidBit) {
  RigOptions o = amd();
  o.cpuid.remove = {"bmi1", "popcnt"};
  for (bool ts : {false, true}) {
    expectUd("andn ecx, eax, ebx", o, ts);
    expectUd("bextr ecx, ebx, eax", o, ts);
    expectUd("blsi ecx, ebx", o, ts);
    expectUd("blsmsk ecx, [0x4000]", o, ts);
    expectUd("blsr ecx, ebx", o, ts);
    expectUd("popcnt ecx, ebx", o, ts);
  }
}

// VEX.L = 1 (C4 E2 7C F2 CB: ANDN ECX, EAX, EBX with L set) and a 66 prefix
// before VEX are #UD on a CPU with BMI1.
TEST(BitInstructions, UndefinedForVexLOrAPrefixBeforeVex) {
  for (bool ts : {false, true}) {
    expectUd("db 0xc4, 0xe2, 0x7c, 0xf2, 0xcb", amd(), ts);
    expectUd("db 0x66, 0xc4, 0xe2, 0x78, 0xf2, 0xcb", amd(), ts);
  }
}

// In real mode C4 is LES, whose register form is #UD: no ANDN there. The
// #UD handler (IVT entry 6) marks BX.
TEST(BitInstructions, UndefinedInRealMode) {
  CpuRig rig(amd());
  rig.memory().writeValue<uint32_t>(6 * 4, 0x7d00);  // 0000:7d00
  rig.load(0x7c00, assemble("bits 16\norg 0x7c00\nmov cx, 0x5a5a\ndb 0xc4, 0xe2, 0x78, 0xf2, 0xcb\nhlt\n"));
  rig.load(0x7d00, assemble("bits 16\norg 0x7d00\nmov bx, 0x1234\nhlt\n"));
  rig.cpu().setArchState(CpuRig::realMode(0, 0x7c00));
  RunExit e = rig.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  EXPECT_EQ(rig.cpu().reg(Reg::Rbx) & 0xffff, 0x1234u);
  EXPECT_EQ(rig.cpu().reg(Reg::Rcx) & 0xffff, 0x5a5au);
}

// In 32-bit mode VEX.W is ignored: C4 E2 F8 F2 CB is ANDN ECX, EAX, EBX.
TEST(BitInstructions, VexWIsIgnoredIn32BitMode) {
  CpuRig rig(amd());
  rig.load(0x100000, assemble("bits 32\norg 0x100000\nmov eax, 0x0ff0\nmov ebx, 0xffff\n"
                              "db 0xc4, 0xe2, 0xf8, 0xf2, 0xcb\nhlt\n"));
  rig.cpu().setArchState(CpuRig::flat32(0x100000));
  RunExit e = rig.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  EXPECT_EQ(rig.cpu().reg(Reg::Rcx), 0xf00fu);
}

// MOVBE takes its register and size from Capstone's operands (REX.R and
// REX.W included) since the BMI1 work; 64-bit forms with R9 and a 16-bit one,
// with CR0.TS set.
TEST(BitInstructions, MovbeWithRexRegistersIn64BitMode) {
  CpuRig rig(amd());
  rig.memory().writeValue<uint64_t>(0x4000, 0x1122334455667788ull);
  rig.load(0x100000, assemble("bits 64\norg 0x100000\nmovbe r9, [0x4000]\nmov r10, 0x0102030405060708\n"
                              "movbe [0x4010], r10\nmov r11, -1\nmovbe r11w, [0x4000]\n"
                              "movbe r12d, [0x4000]\nhlt\n"));
  ArchState a = longMode(rig.memory(), 0x100000);
  a.cr0 |= 8;
  a.gprs[12] = ~0ull;
  rig.cpu().setArchState(a);
  RunExit e = rig.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.detail;
  EXPECT_EQ(rig.cpu().reg(Reg::R9), 0x8877665544332211ull);
  EXPECT_EQ(rig.cpu().reg(Reg::R11), 0xffffffffffff8877ull);  // 16 bits: the rest kept
  EXPECT_EQ(rig.cpu().reg(Reg::R12), 0x88776655ull);          // 32 bits: zero-extended
  uint64_t stored = 0;
  ASSERT_TRUE(rig.memory().readValue(0x4010, stored));
  EXPECT_EQ(stored, 0x0807060504030201ull);
}

TEST(BitInstructions, AmdProfilesReportThemIntelOnlyWhenAdded) {
  CpuRig a(amd());
  for (const char* f : {"bmi1", "abm", "popcnt", "movbe"}) EXPECT_TRUE(a.platform().cpuid->has(f)) << f;
  EXPECT_FALSE(a.platform().cpuid->has("bmi2"));  // not emulated
  RigOptions intel;
  intel.cpuid.add = {"bmi1", "abm", "popcnt"};  // emulated: a scenario may add them
  CpuRig i(intel);
  for (const char* f : {"bmi1", "abm", "popcnt"}) EXPECT_TRUE(i.platform().cpuid->has(f)) << f;
}

}  // namespace
}  // namespace dlsim
