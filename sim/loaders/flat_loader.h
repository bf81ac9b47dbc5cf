// Flat binary loader: the file's bytes at one guest address, nothing else.
// The scenario's `entry` says where the CPU starts.
#pragma once
#include <string>
#include <vector>

#include "sim/guest_memory.h"
#include "sim/loaders/loaded_image.h"

namespace dlsim {

// Throws InputError naming the path when the file is missing or empty, or
// when [address, address+size) is not guest RAM or overlaps `avoid`.
LoadedImage loadFlat(GuestMemory& mem, const std::string& path, uint64_t address,
                     const std::vector<GpaRange>& avoid = {});

}  // namespace dlsim
