// Runs a function on a helper thread with a large stack and waits for it.
// std::regex's matcher recurses once per character of the subject, so a
// search over a few KiB of guest output can exhaust a normal 8 MiB stack
// (sooner under AddressSanitizer, whose frames are larger).
#pragma once
#include <functional>

namespace dlsim {

// Throws InternalError when the thread cannot be created; rethrows what `fn` throws.
void runOnLargeStack(const std::function<void()>& fn);

}  // namespace dlsim
