#include "sim/pci/config_access_pieces.h"

namespace dlsim {

std::vector<ConfigPiece> configAccessPieces(uint64_t offset, unsigned size) {
  std::vector<ConfigPiece> out;
  uint64_t at = offset;
  const uint64_t end = offset + size;
  while (at < end) {
    const uint64_t dwordEnd = (at | 3) + 1;
    const uint64_t left = (end < dwordEnd ? end : dwordEnd) - at;
    unsigned s = 1;
    for (unsigned c : {4u, 2u})
      if ((at & (c - 1)) == 0 && c <= left) {
        s = c;
        break;
      }
    out.push_back({at, s});
    at += s;
  }
  return out;
}

}  // namespace dlsim
