#include "sim/boot_state.h"

namespace dlsim {

const char* entryModeName(EntryMode m) {
  switch (m) {
    case EntryMode::Real: return "real";
    case EntryMode::Protected: return "protected";
    case EntryMode::Long: return "long";
  }
  return "?";
}

}  // namespace dlsim
