// Usable-RAM bookkeeping and deterministic first-fit search (see placement.h).
#include "sim/loaders/placement.h"

#include <algorithm>
#include <limits>

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/byte_io.h"

namespace dlsim {

namespace {

using Ranges = std::vector<GpaRange>;  // [start, end) in this file

uint64_t endOf(uint64_t addr, uint64_t len) {
  return len > std::numeric_limits<uint64_t>::max() - addr ? std::numeric_limits<uint64_t>::max() : addr + len;
}

Ranges merged(Ranges r) {
  std::sort(r.begin(), r.end());
  Ranges out;
  for (const auto& x : r) {
    if (x.first >= x.second) continue;
    if (!out.empty() && x.first <= out.back().second)
      out.back().second = std::max(out.back().second, x.second);
    else
      out.push_back(x);
  }
  return out;
}

Ranges subtract(const Ranges& a, const Ranges& b) {
  Ranges out;
  for (auto [s, e] : a) {
    for (const auto& [bs, be] : b) {  // b is sorted and merged
      if (be <= s || bs >= e) continue;
      if (bs > s) out.push_back({s, bs});
      s = std::max(s, be);
      if (s >= e) break;
    }
    if (s < e) out.push_back({s, e});
  }
  return out;
}

Ranges intersect(const Ranges& a, const Ranges& b) {
  Ranges out;
  for (const auto& [as, ae] : a)
    for (const auto& [bs, be] : b) {
      uint64_t s = std::max(as, bs), e = std::min(ae, be);
      if (s < e) out.push_back({s, e});
    }
  return merged(out);
}

bool covers(const Ranges& r, uint64_t s, uint64_t e) {
  for (const auto& [rs, re] : r)
    if (s >= rs && e <= re) return true;
  return false;
}

// Built by appending: GCC 12 at -O3 reports a false -Wrestrict (a known GCC 12
// false positive) for `"literal" + std::string&&`, an insert at the front of a temporary.
std::string span(uint64_t s, uint64_t e) {
  std::string out = "[";
  out += hex(s);
  out += ", ";
  out += hex(e);
  out += ")";
  return out;
}

}  // namespace

Placement::Placement(const GuestMemory& mem, const E820Map& e820, const std::vector<GpaRange>& avoid,
                     std::string file)
    : file_(std::move(file)) {
  Ranges guest;
  for (const auto& r : mem.regions()) guest.push_back({r.base, r.base + r.size});
  guest_ = merged(guest);
  if (e820.empty()) {
    usable_ = guest_;
  } else {
    Ranges ram, other;
    for (const auto& e : e820) (e.type == E820Type::Ram ? ram : other).push_back({e.addr, endOf(e.addr, e.size)});
    usable_ = intersect(subtract(merged(ram), merged(other)), guest_);
  }
  for (const auto& [a, l] : avoid)
    if (l) taken_.push_back({a, endOf(a, l), "range " + span(a, endOf(a, l)) + " claimed by an earlier load or by the platform (boot GDT)"});
}

const Placement::Taken* Placement::conflict(uint64_t start, uint64_t end) const {
  const Taken* best = nullptr;
  for (const auto& t : taken_)
    if (t.start < end && start < t.end && (!best || t.start < best->start)) best = &t;
  return best;
}

void Placement::claimFixed(uint64_t addr, uint64_t len, const std::string& what) {
  if (len == 0) return;
  auto fail = [&](const std::string& why) { throw InputError(file_ + ": " + what + " " + why); };
  if (len > std::numeric_limits<uint64_t>::max() - addr)
    fail("address " + hex(addr) + " + length " + hex(len) + " wraps around the address space");
  uint64_t end = addr + len;
  if (!covers(guest_, addr, end)) fail(span(addr, end) + " is outside guest RAM");
  if (!covers(usable_, addr, end)) fail(span(addr, end) + " is not usable RAM in the e820 map");
  if (const Taken* t = conflict(addr, end)) fail(span(addr, end) + " overlaps " + t->what);
  taken_.push_back({addr, end, what + " " + span(addr, end)});
  claimed_.push_back({addr, len});
}

bool Placement::findLowest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd, uint64_t& out) const {
  len = std::max<uint64_t>(len, 1);
  align = std::max<uint64_t>(align, 1);
  for (const auto& [rs, re] : usable_) {
    uint64_t end = std::min(re, limitEnd);
    uint64_t s = alignUp(std::max(rs, min), align);
    while (s >= rs && s < end && len <= end - s) {
      const Taken* t = conflict(s, s + len);
      if (!t) {
        out = s;
        return true;
      }
      if (t->end >= end) break;
      s = alignUp(t->end, align);
    }
  }
  return false;
}

bool Placement::findHighest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd, uint64_t& out) const {
  len = std::max<uint64_t>(len, 1);
  align = std::max<uint64_t>(align, 1);
  for (auto it = usable_.rbegin(); it != usable_.rend(); ++it) {
    uint64_t lo = std::max(it->first, min);
    uint64_t end = std::min(it->second, limitEnd);
    while (end > lo && len <= end - lo) {
      uint64_t s = (end - len) / align * align;
      if (s < lo) break;
      const Taken* t = conflict(s, s + len);
      if (!t) {
        out = s;
        return true;
      }
      // Move below the lowest-starting conflicting range.
      end = t->start;
    }
  }
  return false;
}

uint64_t Placement::claimSearched(Search search, uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd,
                                  const std::string& what) {
  uint64_t at = 0;
  if (!(this->*search)(len, align, min, limitEnd, at))
    throw InputError(file_ + ": no usable RAM for " + what + " (" + hex(len) + " bytes, aligned to " + hex(align) +
                     ", within " + span(min, limitEnd) + ")");
  claimFixed(at, std::max<uint64_t>(len, 1), what);
  return at;
}

uint64_t Placement::claimLowest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd,
                                const std::string& what) {
  return claimSearched(&Placement::findLowest, len, align, min, limitEnd, what);
}

uint64_t Placement::claimHighest(uint64_t len, uint64_t align, uint64_t min, uint64_t limitEnd,
                                 const std::string& what) {
  return claimSearched(&Placement::findHighest, len, align, min, limitEnd, what);
}

}  // namespace dlsim

namespace dlsim {

void WritePlan::commit(GuestMemory& mem) const {
  for (const auto& it : items_) {
    bool ok = it.bytes.empty() ? mem.fill(it.gpa, 0, it.zeros) : mem.write(it.gpa, it.bytes.data(), it.bytes.size());
    if (!ok) throw InternalError("loader write to " + hex(it.gpa) + " failed after the range was claimed");
  }
}

}  // namespace dlsim
