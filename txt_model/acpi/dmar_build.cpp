// Building a DMAR table (see dmar.h; VT-d specification chapter 8).
#include "sim/errors.h"
#include "txt_model/acpi/dmar.h"

namespace dlsim::txt {

namespace {

// One remapping structure: type and length (set by end()), then the body.
class Structure {
 public:
  explicit Structure(uint16_t type) {
    put(type, 2);
    put(0, 2);
  }
  void put(uint64_t v, unsigned len) {
    for (unsigned i = 0; i < len; ++i) b_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void scopes(const std::vector<DmarDeviceScope>& scopes) {
    for (const DmarDeviceScope& s : scopes) {
      const size_t length = 6 + 2 * s.path.size();
      if (length > 0xff) throw InternalError("DMAR device scope path too long");
      put(s.type, 1);
      put(length, 1);
      put(s.flags, 1);
      put(0, 1);
      put(s.enumerationId, 1);
      put(s.startBus, 1);
      for (auto [dev, fn] : s.path) {
        put(dev, 1);
        put(fn, 1);
      }
    }
  }
  std::vector<uint8_t> end() {
    if (b_.size() > 0xffff) throw InternalError("DMAR structure longer than 0xffff bytes");
    b_[2] = static_cast<uint8_t>(b_.size());
    b_[3] = static_cast<uint8_t>(b_.size() >> 8);
    return std::move(b_);
  }

 private:
  std::vector<uint8_t> b_;
};

}  // namespace

std::vector<uint8_t> buildDmar(const DmarTable& t) {
  SdtWriter w("DMAR", t.revision, t.ids);
  w.put8(t.hostAddressWidth);
  w.put8(t.flags);
  w.zeros(10);
  for (const DmarDrhd& d : t.drhds) {
    Structure s{static_cast<uint16_t>(DmarType::Drhd)};
    s.put(d.flags, 1);
    s.put(d.size, 1);
    s.put(d.segment, 2);
    s.put(d.registerBase, 8);
    s.scopes(d.scopes);
    w.putBytes(s.end());
  }
  for (const DmarRmrr& r : t.rmrrs) {
    Structure s{static_cast<uint16_t>(DmarType::Rmrr)};
    s.put(0, 2);
    s.put(r.segment, 2);
    s.put(r.base, 8);
    s.put(r.limit, 8);
    s.scopes(r.scopes);
    w.putBytes(s.end());
  }
  for (const DmarAtsr& a : t.atsrs) {
    Structure s{static_cast<uint16_t>(DmarType::Atsr)};
    s.put(a.flags, 1);
    s.put(0, 1);
    s.put(a.segment, 2);
    s.scopes(a.scopes);
    w.putBytes(s.end());
  }
  for (const DmarRhsa& r : t.rhsas) {
    Structure s{static_cast<uint16_t>(DmarType::Rhsa)};
    s.put(0, 4);
    s.put(r.registerBase, 8);
    s.put(r.proximityDomain, 4);
    w.putBytes(s.end());
  }
  for (const DmarAndd& a : t.andds) {
    Structure s{static_cast<uint16_t>(DmarType::Andd)};
    s.put(0, 3);
    s.put(a.deviceNumber, 1);
    for (char c : a.objectName) s.put(static_cast<uint8_t>(c), 1);
    s.put(0, 1);
    w.putBytes(s.end());
  }
  for (const DmarSatc& a : t.satcs) {
    Structure s{static_cast<uint16_t>(DmarType::Satc)};
    s.put(a.flags, 1);
    s.put(0, 1);
    s.put(a.segment, 2);
    s.scopes(a.scopes);
    w.putBytes(s.end());
  }
  for (const DmarOther& o : t.others) w.putBytes(o.bytes);
  return w.finish();
}

std::vector<uint8_t> buildDmarForUnits(const std::vector<uint64_t>& registerBases, uint8_t hostAddressWidth,
                                       uint8_t flags, const AcpiIds& ids) {
  if (registerBases.empty()) throw InternalError("buildDmarForUnits: no VT-d unit");
  DmarTable t;
  t.ids = ids;
  t.hostAddressWidth = hostAddressWidth;
  t.flags = flags;
  for (uint64_t base : registerBases) t.drhds.push_back({0, 0, 0, base, {}});
  t.drhds.back().flags = kDrhdIncludePciAll;
  return buildDmar(t);
}

}  // namespace dlsim::txt
