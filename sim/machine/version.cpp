#include "sim/machine/version.h"

namespace dlsim {
const char* versionString() { return DLSIM_VERSION; }
}  // namespace dlsim
