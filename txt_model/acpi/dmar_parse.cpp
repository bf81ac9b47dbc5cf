// Parsing a DMAR table from untrusted bytes (see dmar.h). Every read is
// bounded (sim/le_reader.h); a length that lies is an InputError naming the
// offset in the table, never a read outside it.
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/le_reader.h"
#include "txt_model/acpi/dmar.h"

namespace dlsim::txt {

namespace {

const char* structureName(uint16_t type) {
  switch (type) {
    case 0: return "DRHD";
    case 1: return "RMRR";
    case 2: return "ATSR";
    case 3: return "RHSA";
    case 4: return "ANDD";
    case 5: return "SATC";
    default: return "remapping structure";
  }
}

// Fixed part of each known structure, header included (VT-d 8.3-8.8).
uint64_t fixedSize(uint16_t type) {
  switch (type) {
    case 0: return 16;
    case 1: return 24;
    case 2: return 8;
    case 3: return 20;
    case 4: return 8;
    case 5: return 8;
    default: return 4;
  }
}

std::string text(std::span<const uint8_t> b) { return std::string(b.begin(), b.end()); }

// The device scopes in [from, end) of a structure at `at`.
std::vector<DmarDeviceScope> parseScopes(const LeReader& r, uint64_t at, uint64_t from, uint64_t end,
                                         const char* owner) {
  std::vector<DmarDeviceScope> out;
  uint64_t o = from;
  while (o < end) {
    const std::string field = std::string(owner) + " at " + hex(at) + ": device scope " + std::to_string(out.size());
    if (end - o < 6) r.fail(o, field, "needs 6 bytes, " + std::to_string(end - o) + " left in the structure");
    const uint8_t length = r.u8(o + 1, field + " length");
    if (length < 6) r.fail(o, field, "length " + std::to_string(length) + " is shorter than its 6-byte fixed part");
    if ((length - 6) % 2) r.fail(o, field, "length " + std::to_string(length) + " leaves half a path entry");
    if (length > end - o)
      r.fail(o, field, "length " + std::to_string(length) + " runs past the structure's end (" +
                           std::to_string(end - o) + " bytes left)");
    DmarDeviceScope s;
    s.type = r.u8(o, field + " type");
    s.flags = r.u8(o + 2, field + " flags");
    s.enumerationId = r.u8(o + 4, field + " enumeration ID");
    s.startBus = r.u8(o + 5, field + " start bus");
    for (uint64_t p = o + 6; p < o + length; p += 2)
      s.path.emplace_back(r.u8(p, field + " path device"), r.u8(p + 1, field + " path function"));
    out.push_back(std::move(s));
    o += length;
  }
  return out;
}

}  // namespace

DmarTable parseDmar(std::span<const uint8_t> bytes, const std::string& source, bool checkChecksum) {
  LeReader r(bytes, source);
  if (bytes.size() < kDmarStructures)
    r.fail("DMAR of " + std::to_string(bytes.size()) + " bytes is shorter than its 48-byte header");
  if (sdtSignature(bytes) != "DMAR") r.fail("signature is \"" + sdtSignature(bytes) + "\", not \"DMAR\"");
  const uint32_t length = r.u32(kSdtLength, "length");
  if (length != bytes.size())
    r.fail("DMAR header length " + std::to_string(length) + " but the table has " + std::to_string(bytes.size()) +
           " bytes");
  if (checkChecksum) validateSdt(bytes, source);

  DmarTable t;
  t.revision = r.u8(kSdtRevision, "revision");
  t.ids.oemId = text(r.bytes(kSdtOemId, 6, "OEM ID"));
  t.ids.oemTableId = text(r.bytes(kSdtOemTableId, 8, "OEM table ID"));
  t.ids.oemRevision = r.u32(kSdtOemRevision, "OEM revision");
  t.ids.creatorId = text(r.bytes(kSdtCreatorId, 4, "creator ID"));
  t.ids.creatorRevision = r.u32(kSdtCreatorRevision, "creator revision");
  t.hostAddressWidth = r.u8(kDmarHostAddressWidth, "host address width");
  t.flags = r.u8(kDmarFlags, "flags");

  for (uint64_t at = kDmarStructures; at < bytes.size();) {
    if (bytes.size() - at < 4)
      r.fail(at, "remapping structure", "needs a 4-byte header, " + std::to_string(bytes.size() - at) + " bytes left");
    const uint16_t type = r.u16(at, "structure type");
    const uint16_t len = r.u16(at + 2, "structure length");
    const char* name = structureName(type);
    if (len < fixedSize(type))
      r.fail(at, name, "length " + std::to_string(len) + " is shorter than its " + std::to_string(fixedSize(type)) +
                           "-byte fixed part");
    if (len > bytes.size() - at)
      r.fail(at, name, "length " + std::to_string(len) + " runs past the table's end (" +
                           std::to_string(bytes.size() - at) + " bytes left)");
    const uint64_t end = at + len;
    switch (type) {
      case 0: {
        DmarDrhd d;
        d.flags = r.u8(at + 4, "DRHD flags");
        d.size = r.u8(at + 5, "DRHD size");
        d.segment = r.u16(at + 6, "DRHD segment");
        d.registerBase = r.u64(at + 8, "DRHD register base");
        d.scopes = parseScopes(r, at, at + 16, end, name);
        t.drhds.push_back(std::move(d));
        break;
      }
      case 1: {
        DmarRmrr m;
        m.segment = r.u16(at + 6, "RMRR segment");
        m.base = r.u64(at + 8, "RMRR base");
        m.limit = r.u64(at + 16, "RMRR limit");
        m.scopes = parseScopes(r, at, at + 24, end, name);
        t.rmrrs.push_back(std::move(m));
        break;
      }
      case 2: {
        DmarAtsr a;
        a.flags = r.u8(at + 4, "ATSR flags");
        a.segment = r.u16(at + 6, "ATSR segment");
        a.scopes = parseScopes(r, at, at + 8, end, name);
        t.atsrs.push_back(std::move(a));
        break;
      }
      case 3: {
        if (len != 20) r.fail(at, name, "length " + std::to_string(len) + " is not 20");
        t.rhsas.push_back({r.u64(at + 8, "RHSA register base"), r.u32(at + 16, "RHSA proximity domain")});
        break;
      }
      case 4: {
        DmarAndd a;
        a.deviceNumber = r.u8(at + 7, "ANDD device number");
        auto name8 = r.bytes(at + 8, len - 8, "ANDD object name");
        size_t n = 0;
        while (n < name8.size() && name8[n] != 0) ++n;
        if (n == name8.size()) r.fail(at + 8, name, "object name is not NUL-terminated inside the structure");
        a.objectName = text(name8.first(n));
        t.andds.push_back(std::move(a));
        break;
      }
      case 5: {
        DmarSatc s;
        s.flags = r.u8(at + 4, "SATC flags");
        s.segment = r.u16(at + 6, "SATC segment");
        s.scopes = parseScopes(r, at, at + 8, end, name);
        t.satcs.push_back(std::move(s));
        break;
      }
      default: {
        auto b = r.bytes(at, len, "remapping structure");
        t.others.push_back({type, std::vector<uint8_t>(b.begin(), b.end())});
        break;
      }
    }
    at = end;
  }
  return t;
}

}  // namespace dlsim::txt
