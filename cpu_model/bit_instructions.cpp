#include "cpu_model/bit_instructions.h"

#include <capstone/capstone.h>

#include <bit>
#include <cstdint>

#include "cpu_model/code_decoder.h"
#include "cpu_model/cpu.h"
#include "cpu_model/insn_operands.h"
#include "cpu_model/special_instructions.h"

namespace dlsim {

namespace {

constexpr uint64_t kCF = 1ull << 0, kPF = 1ull << 2, kAF = 1ull << 4, kZF = 1ull << 6, kSF = 1ull << 7,
                   kOF = 1ull << 11;

// Sets the flags in `defined` to those in `set`; the others keep their value.
void setFlags(Cpu& c, uint64_t defined, uint64_t set) {
  c.setReg(Reg::Rflags, (c.reg(Reg::Rflags) & ~defined) | (set & defined));
}

int widthBits(const DecodedInsn& in) { return in.operands[0].size * 8; }
uint64_t widthMask(int bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }
uint64_t signFlag(uint64_t v, int bits) { return (v >> (bits - 1)) & 1 ? kSF : 0; }

// A VEX-encoded GPR instruction (AMD APM vol. 3 / SDM "VEX" exception class):
// #UD when a 66/F2/F3/LOCK/REX prefix stands before VEX and when VEX.L is 1.
// Only segment overrides and the address-size prefix may precede it; BMI1
// needs the 3-byte form (C4, map 0F38).
bool vexEncodingValid(Cpu& c, const DecodedInsn& in) {
  auto at = vexPrefixAt(in.bytes, in.length, c.codeBits());
  if (!at || *at + 2 >= in.length || in.bytes[*at] != 0xC4) return false;
  for (size_t i = 0; i < *at; ++i)
    if (in.bytes[i] == 0x66 || in.bytes[i] == 0xF0 || in.bytes[i] == 0xF2 || in.bytes[i] == 0xF3 ||
        (in.bytes[i] & 0xF0) == 0x40)
      return false;
  return (in.bytes[*at + 2] & 0x04) == 0;  // VEX.L
}

// Operand k's value; the shape checks below make sure every operand is a
// general register or memory (a read only fails for memory it cannot read).
enum class Read { Ok, Ud, Gp };
Read readAll(Cpu& c, const DecodedInsn& in, int count, uint64_t* out) {
  if (in.operandCount != count || in.operands[0].kind != DecodedInsn::Operand::Kind::Reg) return Read::Ud;
  for (int k = 0; k < count; ++k) {
    if (in.operands[k].size != in.operands[0].size) return Read::Ud;
    auto v = readOperand(c, in, k);
    if (!v) return in.operands[k].kind == DecodedInsn::Operand::Kind::Mem ? Read::Gp : Read::Ud;
    out[k] = *v;
  }
  return Read::Ok;
}

InsnOutcome failed(Read r) { return r == Read::Gp ? InsnOutcome::RaiseGP : InsnOutcome::RaiseUD; }

// The common start of the VEX-encoded BMI1 instructions: #UD also in real and
// virtual-8086 mode, where C4 is LES (which has no register form).
std::optional<InsnOutcome> bmi1Checks(Cpu& c, const DecodedInsn& in) {
  const bool realOrV86 = (c.reg(Reg::Cr0) & 1) == 0 || (c.reg(Reg::Rflags) & (1ull << 17)) != 0;
  if (!c.platform().cpuid->has("bmi1") || realOrV86 || !vexEncodingValid(c, in)) return InsnOutcome::RaiseUD;
  return std::nullopt;
}

// ANDN dest, src1 (VEX.vvvv), src2 (r/m): dest = ~src1 & src2. SF, ZF from
// the result; OF, CF cleared.
InsnOutcome andn(Cpu& c, const DecodedInsn& in) {
  if (auto o = bmi1Checks(c, in)) return *o;
  uint64_t v[3];
  if (Read r = readAll(c, in, 3, v); r != Read::Ok) return failed(r);
  const int bits = widthBits(in);
  const uint64_t res = ~v[1] & v[2] & widthMask(bits);
  writeRegisterOperand(c, in, 0, res);
  setFlags(c, kSF | kZF | kOF | kCF, signFlag(res, bits) | (res == 0 ? kZF : 0));
  return InsnOutcome::Done;
}

// BEXTR dest, src (r/m), control (VEX.vvvv): control[7:0] is the start bit,
// control[15:8] the length; bits beyond the operand read as zero. ZF from the
// result; CF, OF cleared.
InsnOutcome bextr(Cpu& c, const DecodedInsn& in) {
  if (auto o = bmi1Checks(c, in)) return *o;
  uint64_t v[3];
  if (Read r = readAll(c, in, 3, v); r != Read::Ok) return failed(r);
  const int bits = widthBits(in);
  const unsigned start = v[2] & 0xFF, length = (v[2] >> 8) & 0xFF;
  uint64_t res = start >= unsigned(bits) ? 0 : v[1] >> start;  // v[1] holds only `bits` bits
  if (length < 64) res &= (1ull << length) - 1;
  writeRegisterOperand(c, in, 0, res);
  setFlags(c, kZF | kOF | kCF, res == 0 ? kZF : 0);
  return InsnOutcome::Done;
}

// BLSI / BLSMSK / BLSR dest (VEX.vvvv), src (r/m).
enum class Bls { Isolate, Mask, Reset };
InsnOutcome bls(Cpu& c, const DecodedInsn& in, Bls kind) {
  if (auto o = bmi1Checks(c, in)) return *o;
  uint64_t v[2];
  if (Read r = readAll(c, in, 2, v); r != Read::Ok) return failed(r);
  const int bits = widthBits(in);
  const uint64_t src = v[1], m = widthMask(bits);
  uint64_t res = 0, flags = 0;
  switch (kind) {
    case Bls::Isolate:  // lowest set bit; SF, ZF from the result, CF = src != 0, OF = 0
      res = (0 - src) & src & m;
      flags = signFlag(res, bits) | (res == 0 ? kZF : 0) | (src != 0 ? kCF : 0);
      break;
    case Bls::Mask:  // up to and including the lowest set bit; SF from the result, CF = src == 0, ZF = OF = 0
      res = ((src - 1) ^ src) & m;
      flags = signFlag(res, bits) | (src == 0 ? kCF : 0);
      break;
    case Bls::Reset:  // clears the lowest set bit; SF, ZF from the result, CF = src == 0, OF = 0
      res = (src - 1) & src & m;
      flags = signFlag(res, bits) | (res == 0 ? kZF : 0) | (src == 0 ? kCF : 0);
      break;
  }
  writeRegisterOperand(c, in, 0, res);
  setFlags(c, kSF | kZF | kOF | kCF, flags);
  return InsnOutcome::Done;
}

// TZCNT / LZCNT dest, src (r/m). With the CPUID bit: the count of trailing /
// leading zero bits (the operand width for 0); CF = src == 0, ZF = result == 0.
// Without it the F3 prefix is ignored, as on a CPU without the instruction:
// BSF / BSR, ZF = src == 0 and dest unchanged then (as the APM states).
InsnOutcome bitCount(Cpu& c, const DecodedInsn& in, bool trailing) {
  uint64_t v[2];
  if (Read r = readAll(c, in, 2, v); r != Read::Ok) return failed(r);
  const int bits = widthBits(in);
  const uint64_t src = v[1];
  const int lowest = std::countr_zero(src);                  // 64 for 0
  const int highest = src ? 63 - std::countl_zero(src) : -1;  // bit index
  if (c.platform().cpuid->has(trailing ? "bmi1" : "abm")) {
    const uint64_t res = src == 0 ? uint64_t(bits) : trailing ? uint64_t(lowest) : uint64_t(bits - 1 - highest);
    writeRegisterOperand(c, in, 0, res);
    setFlags(c, kZF | kCF, (res == 0 ? kZF : 0) | (src == 0 ? kCF : 0));
    return InsnOutcome::Done;
  }
  if (src == 0) {
    setFlags(c, kZF, kZF);
    return InsnOutcome::Done;
  }
  writeRegisterOperand(c, in, 0, uint64_t(trailing ? lowest : highest));
  setFlags(c, kZF, 0);
  return InsnOutcome::Done;
}

// POPCNT dest, src (r/m): the count of set bits; ZF = src == 0, OF SF AF CF
// PF cleared.
InsnOutcome popcnt(Cpu& c, const DecodedInsn& in) {
  if (!c.platform().cpuid->has("popcnt")) return InsnOutcome::RaiseUD;
  uint64_t v[2];
  if (Read r = readAll(c, in, 2, v); r != Read::Ok) return failed(r);
  writeRegisterOperand(c, in, 0, uint64_t(std::popcount(v[1])));
  setFlags(c, kOF | kSF | kZF | kAF | kCF | kPF, v[1] == 0 ? kZF : 0);
  return InsnOutcome::Done;
}

}  // namespace

void registerBitInstructions(SpecialInstructionRegistry& r) {
  r.add(X86_INS_ANDN, "platform", andn);
  r.add(X86_INS_BEXTR, "platform", bextr);
  r.add(X86_INS_BLSI, "platform", [](Cpu& c, const DecodedInsn& i) { return bls(c, i, Bls::Isolate); });
  r.add(X86_INS_BLSMSK, "platform", [](Cpu& c, const DecodedInsn& i) { return bls(c, i, Bls::Mask); });
  r.add(X86_INS_BLSR, "platform", [](Cpu& c, const DecodedInsn& i) { return bls(c, i, Bls::Reset); });
  r.add(X86_INS_TZCNT, "platform", [](Cpu& c, const DecodedInsn& i) { return bitCount(c, i, true); });
  r.add(X86_INS_LZCNT, "platform", [](Cpu& c, const DecodedInsn& i) { return bitCount(c, i, false); });
  r.add(X86_INS_POPCNT, "platform", popcnt);
}

}  // namespace dlsim
