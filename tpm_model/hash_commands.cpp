// TPM2_Hash, TPM2_HashSequenceStart, TPM2_SequenceUpdate,
// TPM2_SequenceComplete, TPM2_EventSequenceComplete (Part 3 §15.3, §17.3-17.6)
// (TPM2_FlushContext is in context_commands.cpp).
#include <botan/mac.h>

#include "tpm_model/command_dispatch.h"
#include "tpm_model/hierarchy_secrets.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

constexpr uint16_t kStHashcheck = 0x8024;
constexpr uint32_t kGeneratedValue = 0xFF544347;
constexpr Rc kMode = rc::kMode;

uint32_t readHierarchy(CommandContext& c) {
  uint32_t h = c.in.u32();
  if (h != handle::kOwner && h != handle::kPlatform && h != handle::kEndorsement && h != handle::kNull)
    throw TpmError(rc::kValue);
  return h;
}

// TPMT_TK_HASHCHECK: HMAC(proof(hierarchy), tag || digest) unless the data
// could forge a TPM-generated structure or the hierarchy is NULL.
void writeTicket(CommandContext& c, uint32_t hierarchy, const std::vector<uint8_t>& firstBytes,
                 const std::vector<uint8_t>& digestValue) {
  bool generated = firstBytes.size() >= 4 &&
                   ((uint32_t(firstBytes[0]) << 24) | (uint32_t(firstBytes[1]) << 16) |
                    (uint32_t(firstBytes[2]) << 8) | firstBytes[3]) == kGeneratedValue;
  c.out.u16(kStHashcheck);
  if (hierarchy == handle::kNull || generated) {
    c.out.u32(handle::kNull);
    c.out.u16(0);
    return;
  }
  // Hierarchy proof: a secret derived from the engine's seed.
  uint8_t in[12];
  for (int i = 0; i < 8; ++i) in[i] = uint8_t(c.st.config.rngSeed >> (8 * i));
  for (int i = 0; i < 4; ++i) in[8 + i] = uint8_t(hierarchy >> (8 * i));
  auto proof = digest(alg::kSha256, in, sizeof(in));
  // Tickets are HMACs with the largest implemented hash (SHA-512 by default).
  uint16_t macAlg = ticketHashAlg(c.st);
  auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(" + botanHashName(macAlg) + ")");
  mac->set_key(proof);
  uint8_t tag[2] = {uint8_t(kStHashcheck >> 8), uint8_t(kStHashcheck)};
  mac->update(tag, 2);
  mac->update(digestValue);
  auto t = mac->final();
  c.out.u32(hierarchy);
  c.out.tpm2b(std::vector<uint8_t>(t.begin(), t.end()));
}

// The sequence object at handle `index`; a key object there is TPM_RC_MODE.
HashSequence& sequenceAt(CommandContext& c, unsigned index) {
  auto it = c.st.objects.find(c.handles[index]);
  if (it == c.st.objects.end()) throw TpmError(rcHandle(kMode, index + 1));
  return it->second;
}

void hash(CommandContext& c) {
  auto data = c.param(1, [&] { return c.in.tpm2b(kMaxDigestBuffer); });
  uint16_t a = c.param(2, [&] { return c.hashAlg(false); });
  uint32_t hierarchy = c.param(3, [&] { return readHierarchy(c); });
  c.endParams();
  auto d = digest(a, data.data(), data.size());
  c.out.tpm2b(d);
  writeTicket(c, hierarchy, data, d);
}

void hashSequenceStart(CommandContext& c) {
  auto auth = c.param(1, [&] { return c.in.tpm2b(64); });
  uint16_t a = c.param(2, [&] { return c.hashAlg(true); });
  c.endParams();
  auto slot = freeTransientHandle(c.st);  // first free object slot
  if (!slot) throw TpmError(rc::kObjectMemory);
  uint32_t h = *slot;
  HashSequence s = c.st.newSequence(a == alg::kNull, a);
  s.auth = auth;
  c.st.objects.emplace(h, std::move(s));
  c.hasResponseHandle = true;
  c.responseHandle = h;
}

void sequenceUpdate(CommandContext& c) {
  auto data = c.param(1, [&] { return c.in.tpm2b(kMaxDigestBuffer); });
  c.endParams();
  sequenceAt(c, 0).update(data);
}

void sequenceComplete(CommandContext& c) {
  auto data = c.param(1, [&] { return c.in.tpm2b(kMaxDigestBuffer); });
  uint32_t hierarchy = c.param(2, [&] { return readHierarchy(c); });
  c.endParams();
  HashSequence& s = sequenceAt(c, 0);
  if (s.event) throw TpmError(rcHandle(kMode, 1));
  auto& p = s.parts.at(0);
  p.fn->update(data);
  auto d = p.fn->final();
  std::vector<uint8_t> dv(d.begin(), d.end());
  c.out.tpm2b(dv);
  // Only a sequence of <= 1 block could produce a TPM_GENERATED-prefixed
  // input; like the reference, check the first bytes of this final buffer.
  writeTicket(c, hierarchy, data, dv);
  c.st.objects.erase(c.handles[0]);
}

void eventSequenceComplete(CommandContext& c) {
  auto data = c.param(1, [&] { return c.in.tpm2b(kMaxDigestBuffer); });
  c.endParams();
  uint32_t pcr = c.handles[0];
  HashSequence& s = sequenceAt(c, 1);
  if (!s.event) throw TpmError(rcHandle(kMode, 2));
  if (pcr != handle::kNull && !pcrExtendAllowed(pcr, c.locality)) throw TpmError(rc::kLocality);
  if (pcr != handle::kNull && pcrAttributes(pcr).stateSaved) c.st.orderly = TpmState::Orderly::None;
  c.out.u32(uint32_t(s.parts.size()));
  for (auto& p : s.parts) {
    p.fn->update(data);
    auto d = p.fn->final();
    std::vector<uint8_t> dv(d.begin(), d.end());
    c.out.u16(p.alg);
    c.out.bytes(dv);
    if (pcr != handle::kNull) c.st.pcrs.extend(pcr, p.alg, dv);
  }
  c.st.objects.erase(c.handles[1]);
}

}  // namespace

void addHashCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x17D, "Hash", 0, {}, 0, true, hash});
  t.push_back({0x186, "HashSequenceStart", 0, {}, 0, true, hashSequenceStart});
  t.push_back({0x15C, "SequenceUpdate", 1, {HandleKind::Object}, 0x1, true, sequenceUpdate});
  t.push_back({0x13E, "SequenceComplete", 1, {HandleKind::Object}, 0x1, true, sequenceComplete});
  t.push_back({0x185, "EventSequenceComplete", 2, {HandleKind::PcrOrNull, HandleKind::Object}, 0x3, true,
               eventSequenceComplete});
}

}  // namespace dlsim::tpm
