// Transient slots and the object encoding (see object_store.h).
#include "tpm_model/object_store.h"

#include "tpm_model/command_dispatch.h"
#include "tpm_model/tpm_alg.h"
#include "tpm_model/tpm_state.h"

namespace dlsim::tpm {

bool TpmObject::isStorageParent() const {
  return pub.has(oa::kRestricted) && pub.has(oa::kDecrypt) && !pub.has(oa::kSign) &&
         pub.type != alg::kKeyedHash && pub.symmetric.alg != alg::kNull;
}

bool TpmObject::isSealedData() const {
  return pub.type == alg::kKeyedHash && !pub.has(oa::kSign) && !pub.has(oa::kDecrypt) && !pub.has(oa::kRestricted);
}

size_t loadedCount(const TpmState& st) { return st.objects.size() + st.keys.size(); }

std::optional<uint32_t> freeTransientHandle(const TpmState& st) {
  for (uint32_t h = kTransientFirst; h < kTransientFirst + kMaxLoadedObjects; ++h)
    if (!st.objects.count(h) && !st.keys.count(h)) return h;
  return std::nullopt;
}

bool flushTransient(TpmState& st, uint32_t h) { return st.objects.erase(h) + st.keys.erase(h) > 0; }

TpmObject* findObject(TpmState& st, uint32_t h) {
  auto it = st.keys.find(h);
  return it == st.keys.end() ? nullptr : &it->second;
}

const TpmObject* findObject(const TpmState& st, uint32_t h) {
  auto it = st.keys.find(h);
  return it == st.keys.end() ? nullptr : &it->second;
}

std::vector<uint8_t> encodeObject(const TpmObject& o) {
  WireWriter w;
  w.u32(o.hierarchy);
  w.tpm2b(marshalPublic(o.pub));
  w.tpm2b(marshalSensitive(o.sens));
  w.tpm2b(o.qualifiedName);
  return std::move(w.data());
}

std::optional<TpmObject> decodeObject(std::span<const uint8_t> b, const std::vector<uint16_t>& hashAlgs) {
  try {
    WireReader r(b);
    TpmObject o;
    o.hierarchy = r.u32();
    if (o.hierarchy != handle::kOwner && o.hierarchy != handle::kEndorsement && o.hierarchy != handle::kPlatform &&
        o.hierarchy != handle::kNull)
      return std::nullopt;
    o.pub = readPublic2b(r, hashAlgs);
    uint16_t sensSize = r.u16();
    size_t start = r.position();
    o.sens = readSensitive(r);
    if (r.position() - start != sensSize) return std::nullopt;
    o.qualifiedName = r.tpm2b(2 + kMaxDigest);
    if (r.remaining() != 0) return std::nullopt;
    if (o.pub.nameAlg == alg::kNull || o.sens.type != o.pub.type) return std::nullopt;
    o.name = objectName(o.pub);
    return o;
  } catch (const TpmError&) {
    return std::nullopt;
  }
}

}  // namespace dlsim::tpm
