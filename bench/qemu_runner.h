// Optional comparison column: the same multiboot ELF under QEMU TCG
// (qemu-system-i386 -kernel), timed from the outside. QEMU is never a
// dependency: when it is not on PATH the benchmark says so and skips it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim {

// Full path of qemu-system-i386 found on PATH, or nullopt.
std::optional<std::string> findQemu();

// Printed in place of the QEMU column when findQemu() fails.
inline constexpr const char* kQemuMissing = "QEMU not installed (apt-get install qemu-system-x86)";

struct QemuRun {
  double seconds = 0;            // wall time from spawn to exit, boot included
  double cpuSeconds = 0;         // QEMU's user + system CPU time (all its threads)
  std::vector<uint8_t> result;   // decoded from the guest's hex line on port 0xE9
};

// Runs `qemu -accel tcg -nodefaults -display none -no-reboot -m <ramMiB>
// -kernel <elf> -debugcon file:<tmp> -device isa-debug-exit,iobase=0xf4,iosize=4`
// once. The guest writes 0 to port 0xF4, so QEMU must exit with status
// (0 << 1) | 1 = 1; anything else, a timeout (timeoutSeconds, then SIGKILL)
// or an unreadable hex line throws InternalError with what QEMU printed.
QemuRun runQemuOnce(const std::string& qemu, const std::string& elfPath, uint64_t ramMiB,
                    double timeoutSeconds = 120);

// QEMU's fixed start-up cost (process start, SeaBIOS, multiboot loading),
// estimated from the SHA guest at two sizes: per-MiB cost
// (t_big - t_small) / (big - small) and boot = t_small - small * perMiB,
// clamped at 0. Net time of any workload = raw time - boot.
double qemuBootOverhead(double secondsSmall, uint32_t mibSmall, double secondsBig, uint32_t mibBig);

}  // namespace dlsim
