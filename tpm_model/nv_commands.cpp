// TPM2_NV_DefineSpace, TPM2_NV_UndefineSpace, TPM2_NV_ReadPublic,
// TPM2_NV_Write and TPM2_NV_Read (Part 3 §31.3, §31.4, §31.6, §31.7, §31.13)
// for ordinary NV indices.
#include "tpm_model/command_dispatch.h"
#include "tpm_model/tpm_alg.h"

namespace dlsim::tpm {
namespace {

constexpr uint32_t kNvReservedBits = 0x01F00000;  // TPMA_NV bits 20-24

void marshalNvPublic(WireWriter& w, const NvIndex& n) {
  w.u32(n.index);
  w.u16(n.nameAlg);
  w.u32(n.attributes);
  w.tpm2b(n.authPolicy);
  w.u16(uint16_t(n.data.size()));
}

NvIndex readNvPublic(CommandContext& c) {
  uint16_t size = c.in.u16();
  if (size == 0) throw TpmError(rc::kSize);
  size_t start = c.in.position();
  NvIndex n;
  n.index = c.in.u32();
  if (n.index < 0x01000000 || n.index > 0x01FFFFFF) throw TpmError(rc::kValue);
  n.nameAlg = c.hashAlg(false);
  n.attributes = c.in.u32();
  if (n.attributes & kNvReservedBits) throw TpmError(rc::kReservedBits);
  n.authPolicy = c.in.tpm2b(64);
  uint16_t dataSize = c.in.u16();
  if (c.in.position() - start != size) throw TpmError(rc::kSize);
  if (dataSize > kMaxNvIndexSize) throw TpmError(rc::kSize);
  n.data.assign(dataSize, 0xFF);
  return n;
}

void nvDefineSpace(CommandContext& c) {
  auto auth = c.param(1, [&] { return c.in.tpm2b(64); });
  NvIndex n = c.param(2, [&] { return readNvPublic(c); });
  c.endParams();
  uint32_t a = n.attributes;
  const Rc badAttr = rcParam(rc::kAttributes, 2);
  if ((a & nva::kTypeMask) != 0) throw TpmError(badAttr);  // only ordinary indices
  bool platform = c.handles[0] == handle::kPlatform;
  if (platform != ((a & nva::kPlatformCreate) != 0)) throw TpmError(rcHandle(rc::kAttributes, 1));
  if (!(a & (nva::kPpWrite | nva::kOwnerWrite | nva::kAuthWrite | nva::kPolicyWrite))) throw TpmError(badAttr);
  if (!(a & (nva::kPpRead | nva::kOwnerRead | nva::kAuthRead | nva::kPolicyRead))) throw TpmError(badAttr);
  if (a & (nva::kWritten | nva::kReadLocked | nva::kWriteLocked)) throw TpmError(badAttr);
  if (!n.authPolicy.empty() && n.authPolicy.size() != *hashDigestSize(n.nameAlg))
    throw TpmError(rcParam(rc::kSize, 2));
  if (c.st.nv.count(n.index)) throw TpmError(rc::kNvDefined);
  n.auth = auth;
  c.st.nv[n.index] = n;
}

std::vector<uint8_t> nvName(const NvIndex& n) {
  WireWriter pub;
  marshalNvPublic(pub, n);
  auto d = digest(n.nameAlg, pub.data().data(), pub.size());
  std::vector<uint8_t> name = {uint8_t(n.nameAlg >> 8), uint8_t(n.nameAlg)};
  name.insert(name.end(), d.begin(), d.end());
  return name;
}

void nvReadPublic(CommandContext& c) {
  c.endParams();
  const NvIndex& n = c.st.nv.at(c.handles[0]);
  WireWriter pub;
  marshalNvPublic(pub, n);
  c.out.tpm2b(pub.data());
  c.out.tpm2b(nvName(n));
}

// Which TPMA_NV bit the authorization handle must have for this access.
void checkAccess(const CommandContext& c, const NvIndex& n, bool write) {
  uint32_t authHandle = c.handles[0];
  uint32_t need;
  if (authHandle == handle::kOwner) need = write ? nva::kOwnerWrite : nva::kOwnerRead;
  else if (authHandle == handle::kPlatform) need = write ? nva::kPpWrite : nva::kPpRead;
  else if (authHandle == n.index) need = write ? nva::kAuthWrite : nva::kAuthRead;
  else throw TpmError(rc::kNvAuthorization);
  if (!(n.attributes & need)) throw TpmError(rc::kNvAuthorization);
}

void nvWrite(CommandContext& c) {
  auto data = c.param(1, [&] { return c.in.tpm2b(kMaxNvBuffer); });
  uint16_t offset = c.param(2, [&] { return c.in.u16(); });
  c.endParams();
  NvIndex& n = c.st.nv.at(c.handles[1]);
  if (n.attributes & nva::kWriteLocked) throw TpmError(rc::kNvLocked);
  checkAccess(c, n, true);
  if (size_t(offset) + data.size() > n.data.size()) throw TpmError(rc::kNvRange);
  if ((n.attributes & nva::kWriteAll) && data.size() != n.data.size()) throw TpmError(rc::kNvRange);
  std::copy(data.begin(), data.end(), n.data.begin() + offset);
  n.attributes |= nva::kWritten;
}

void nvRead(CommandContext& c) {
  uint16_t size = c.param(1, [&] { return c.in.u16(); });
  uint16_t offset = c.param(2, [&] { return c.in.u16(); });
  c.endParams();
  const NvIndex& n = c.st.nv.at(c.handles[1]);
  if (n.attributes & nva::kReadLocked) throw TpmError(rc::kNvLocked);
  checkAccess(c, n, false);
  if (!(n.attributes & nva::kWritten)) throw TpmError(rc::kNvUninitialized);
  if (size_t(offset) + size > n.data.size()) throw TpmError(rc::kNvRange);
  if (size > kMaxNvBuffer) throw TpmError(rcParam(rc::kValue, 1));
  c.out.tpm2b(std::vector<uint8_t>(n.data.begin() + offset, n.data.begin() + offset + size));
}

// Part 3 §31.4: the platform may delete any index without POLICY_DELETE,
// the owner only those it created.
void nvUndefineSpace(CommandContext& c) {
  c.endParams();
  const NvIndex& n = c.st.nv.at(c.handles[1]);
  if (n.attributes & nva::kPolicyDelete) throw TpmError(rcHandle(rc::kAttributes, 2));
  if (c.handles[0] == handle::kOwner && (n.attributes & nva::kPlatformCreate)) throw TpmError(rc::kNvAuthorization);
  c.st.nv.erase(c.handles[1]);
}

}  // namespace

void addNvCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x12A, "NV_DefineSpace", 1, {HandleKind::Provision}, 0x1, true, nvDefineSpace});
  t.push_back({0x122, "NV_UndefineSpace", 2, {HandleKind::Provision, HandleKind::NvIndex}, 0x1, true,
               nvUndefineSpace});
  t.push_back({0x169, "NV_ReadPublic", 1, {HandleKind::NvIndex}, 0, true, nvReadPublic});
  t.push_back({0x137, "NV_Write", 2, {HandleKind::NvAuth, HandleKind::NvIndex}, 0x1, true, nvWrite});
  t.push_back({0x14E, "NV_Read", 2, {HandleKind::NvAuth, HandleKind::NvIndex}, 0x1, true, nvRead});
}

}  // namespace dlsim::tpm
