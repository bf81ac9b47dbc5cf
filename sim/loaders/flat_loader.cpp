// Flat binary loader (see flat_loader.h).
#include "sim/loaders/flat_loader.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/byte_io.h"
#include "sim/loaders/placement.h"

namespace dlsim {

LoadedImage loadFlat(GuestMemory& mem, const std::string& path, uint64_t address, const std::vector<GpaRange>& avoid) {
  std::vector<uint8_t> data = readImageFile(path);
  if (data.empty()) throw InputError(path + ": flat image is empty");
  Placement place(mem, {}, avoid, path);
  place.claimFixed(address, data.size(), "flat image at address " + hex(address) + " (size " + hex(data.size()) + ")");
  WritePlan plan;
  plan.copy(address, data);
  plan.commit(mem);
  LoadedImage out;
  out.placed = place.claimed();
  out.summary = "flat " + path + ": " + hex(data.size()) + " bytes at " + hex(address);
  return out;
}

}  // namespace dlsim
