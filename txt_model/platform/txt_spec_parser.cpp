// The "txt" section of a scenario (see txt_spec_parser.h).
#include "txt_model/platform/txt_spec_parser.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "txt_model/chipset/txt_registers.h"
#include "txt_model/sinit/sinit_rules.h"

namespace dlsim::txt {

namespace {

constexpr uint64_t kU32 = 0xFFFFFFFFull;

// A 32-bit register value whose set bits must lie inside `allowed`.
uint64_t bits(const JsonValue& v, uint64_t allowed, const char* what) {
  const uint64_t x = v.u64(0, kU32);
  if (x & ~allowed) v.fail(hex(x) + " sets bits " + hex(x & ~allowed) + " that " + what + " does not have");
  return x;
}

uint64_t aligned(const JsonValue& v, uint64_t alignment) {
  const uint64_t x = v.u64(0, kU32);
  if (x % alignment) v.fail(hex(x) + " is not a multiple of " + hex(alignment));
  return x;
}

std::array<uint8_t, 32> parseKeyHash(const JsonValue& v) {
  const std::string s = v.string();
  std::array<uint8_t, 32> out{};
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (s.size() != 64) v.fail(describeJson(v.json()) + " is not 64 hex digits (the 32-byte key hash)");
  for (size_t i = 0; i < 32; ++i) {
    const int hi = digit(s[2 * i]), lo = digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) v.fail(describeJson(v.json()) + " contains a character that is not a hex digit");
    out[i] = uint8_t(hi * 16 + lo);
  }
  return out;
}

}  // namespace

TxtSpec parseTxtSpec(const JsonValue& section, const TxtProfileFinder& findProfile) {
  JsonObjectReader o = section.object({"profile", "disabled", "start", "sinit", "registers"});
  TxtSpec s;
  const JsonValue profile = o.required("profile");
  const std::string name = profile.string(1, 64);
  try {
    s.profile = findProfile(name);
  } catch (const InputError& e) {
    profile.fail(e.what());
  }
  if (auto d = o.optional("disabled")) s.disabled = d->boolean();
  if (auto st = o.optional("start")) {
    s.startAfterSenter = st->choice<bool>({{"power-on", false}, {"after-senter", true}});
    if (s.startAfterSenter && s.disabled) st->fail("\"after-senter\" needs a TXT chipset (\"disabled\" is true)");
  }
  if (auto si = o.optional("sinit")) {
    JsonObjectReader so = si->object({"version", "capabilities", "inject_error"});
    if (auto v = so.optional("version")) s.sinit.sinitMleDataVersion = static_cast<uint32_t>(v->u64(6, 9));
    if (auto v = so.optional("capabilities")) s.sinit.capabilities = static_cast<uint32_t>(v->u64(0, kU32));
    // A rule id, or an ERRORCODE value naming the first rule (in SINIT's
    // order) that writes it.
    if (auto v = so.optional("inject_error")) {
      if (v->json().is_string() && v->json().get<std::string>().rfind("sinit.", 0) == 0) {
        s.sinit.injectError = v->string(1, 128);
        if (!sinit_rules::find(s.sinit.injectError))
          v->fail("\"" + s.sinit.injectError + "\" is not a SINIT rule (docs/txt-rules.md lists them)");
      } else {
        const uint64_t code = v->u64(0, kU32);
        const sinit_rules::SinitRule* rule = sinit_rules::findByErrorCode(static_cast<uint32_t>(code));
        if (!rule) v->fail(hex(code) + " is not the ERRORCODE of a SINIT rule (docs/txt-rules.md lists them)");
        s.sinit.injectError = rule->rule.id;
      }
    }
    so.finish();
  }
  if (auto r = o.optional("registers")) {
    JsonObjectReader ro = r->object({"heap_base", "heap_size", "sinit_base", "sinit_size", "mseg_base", "mseg_size",
                                     "dpr", "public_key", "ests", "errorcode", "e2sts", "bootstatus", "acm_status"});
    // Bases and sizes are 32-bit registers; the BIOS places the regions on
    // 4 KiB pages (SINIT must be 4 KiB aligned for GETSEC, SDM vol. 2D).
    if (auto v = ro.optional("heap_base")) s.heapBase = aligned(*v, 0x1000);
    if (auto v = ro.optional("heap_size")) s.heapSize = aligned(*v, 0x1000);
    if (auto v = ro.optional("sinit_base")) s.sinitBase = aligned(*v, 0x1000);
    if (auto v = ro.optional("sinit_size")) s.sinitSize = aligned(*v, 0x1000);
    if (auto v = ro.optional("mseg_base")) s.msegBase = aligned(*v, 0x1000);
    if (auto v = ro.optional("mseg_size")) s.msegSize = aligned(*v, 0x1000);
    // DPR: lock [0], size in MiB [11:4], top [31:20]; the rest is reserved.
    if (auto v = ro.optional("dpr")) s.dpr = bits(*v, 0xFFF00FF1ull, "TXT.DPR (lock 0, size 11:4, top 31:20)");
    if (auto v = ro.optional("public_key")) s.publicKey = parseKeyHash(*v);
    if (auto v = ro.optional("ests")) s.ests = bits(*v, reg::ests::kDefined, "TXT.ESTS (bits 0, 1, 2, 5, 6)");
    if (auto v = ro.optional("errorcode")) s.errorCode = v->u64(0, kU32);
    if (auto v = ro.optional("e2sts"))
      s.e2sts = bits(*v, reg::e2sts::kSleepEntryError | reg::e2sts::kSecrets | reg::e2sts::kBlockMem | reg::e2sts::kReset,
                     "TXT.E2STS (bits 0-3)");
    if (auto v = ro.optional("bootstatus")) s.bootStatus = v->u64();
    if (auto v = ro.optional("acm_status")) s.acmStatus = v->u64(0, kU32);
    ro.finish();
  }
  o.finish();
  return s;
}

}  // namespace dlsim::txt
