// Spawning QEMU for one timed run of a benchmark guest (see the header).
#include "bench/qemu_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "sim/errors.h"

extern char** environ;

namespace dlsim {
namespace {

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A temporary file that is removed when this goes out of scope.
class TempFile {
 public:
  explicit TempFile(const char* stem) {
    std::string pattern = std::string("/tmp/") + stem + "-XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw InternalError("cannot create a temporary file " + pattern);
    close(fd);
    path_ = pattern;
  }
  ~TempFile() { unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> findQemu() {
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = dir + "/qemu-system-i386";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

QemuRun runQemuOnce(const std::string& qemu, const std::string& elfPath, uint64_t ramMiB,
                    double timeoutSeconds) {
  if (elfPath.find(',') != std::string::npos)
    throw InternalError("QEMU cannot take a -kernel path with a comma: " + elfPath);
  TempFile debugcon("dlsim-bench-debugcon");
  TempFile log("dlsim-bench-qemu-log");
  std::vector<std::string> args = {qemu,          "-accel",       "tcg",
                                   "-nodefaults", "-display",     "none",
                                   "-no-reboot",  "-m",           std::to_string(ramMiB),
                                   "-kernel",     elfPath,        "-debugcon",
                                   "file:" + debugcon.path(),     "-device",
                                   "isa-debug-exit,iobase=0xf4,iosize=4"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.path().c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);

  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawnErr = posix_spawn(&pid, qemu.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawnErr != 0) throw InternalError("cannot start " + qemu + ": error " + std::to_string(spawnErr));

  int status = 0;
  bool timedOut = false;
  rusage usage{};
  for (;;) {
    const pid_t w = wait4(pid, &status, WNOHANG, &usage);
    if (w == pid) break;
    if (w < 0) throw InternalError("waitpid on QEMU failed");
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > timeoutSeconds) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      timedOut = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  const auto t1 = std::chrono::steady_clock::now();

  const std::string what = qemu + " -kernel " + elfPath;
  if (timedOut) throw InternalError(what + ": no exit within " + std::to_string(timeoutSeconds) + " s");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
    throw InternalError(what + ": exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                        " (the guest's isa-debug-exit gives 1); QEMU said: " + readText(log.path()));

  const std::string text = readText(debugcon.path());
  QemuRun run;
  run.seconds = std::chrono::duration<double>(t1 - t0).count();
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  run.cpuSeconds = tv(usage.ru_utime) + tv(usage.ru_stime);
  const size_t end = text.find('\n');
  if (end == std::string::npos || end % 2 != 0)
    throw InternalError(what + ": no complete hex result line on the debug console: '" + text + "'");
  for (size_t i = 0; i < end; i += 2) {
    const int hi = hexValue(text[i]), lo = hexValue(text[i + 1]);
    if (hi < 0 || lo < 0) throw InternalError(what + ": debug console line is not hex: '" + text + "'");
    run.result.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return run;
}

double qemuBootOverhead(double secondsSmall, uint32_t mibSmall, double secondsBig, uint32_t mibBig) {
  if (mibBig <= mibSmall) throw InternalError("qemuBootOverhead needs two different sizes");
  const double perMiB = (secondsBig - secondsSmall) / static_cast<double>(mibBig - mibSmall);
  return std::max(0.0, secondsSmall - perMiB * mibSmall);
}

}  // namespace dlsim
