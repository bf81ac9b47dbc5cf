// Flat binary loader (see flat_loader.h).
#include "sim/loaders/flat_loader.h"

#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/loaders/byte_io.h"
#include "sim/loaders/image_bytes.h"
#include "sim/loaders/placement.h"

namespace dlsim {

LoadedImage loadFlat(GuestMemory& mem, const std::string& path, uint64_t address, const std::vector<GpaRange>& avoid) {
  const ImageBytes image = readImageBytes(path, decompressLimit(mem));
  const std::vector<uint8_t>& data = image.bytes;
  if (data.empty()) throw InputError(path + ": flat image is empty");
  Placement place(mem, {}, avoid, path);
  place.claimFixed(address, data.size(), "flat image at address " + hex(address) + " (size " + hex(data.size()) + ")");
  WritePlan plan;
  plan.copy(address, data);
  plan.commit(mem);
  LoadedImage out;
  out.placed = place.claimed();
  out.summary = "flat " + path + image.note() + ": " + hex(data.size()) + " bytes at " + hex(address);
  if (image.decompressed) out.decompressed.push_back({path, image.fileBytes, data.size()});
  return out;
}

}  // namespace dlsim
