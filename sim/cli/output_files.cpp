#include "sim/cli/output_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sim/errors.h"

namespace dlsim::cli {

namespace {

namespace fs = std::filesystem;

// The same file whatever the spelling: the absolute path with symbolic links
// and "." / ".." resolved as far as the file system has them.
std::string sameFileKey(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? path : p.string();
}

[[noreturn]] void cannotWrite(const OutputFile& o, int err) {
  throw InputError(o.option + " " + o.path + ": cannot be written: " + std::strerror(err));
}

bool writeAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

void writeInPlace(const OutputFile& o, const std::string& text) {
  int fd = ::open(o.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) cannotWrite(o, errno);
  bool ok = writeAll(fd, text);
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) cannotWrite(o, err);
}

}  // namespace

std::string perScenarioPath(const std::string& path, size_t index, size_t count) {
  return count == 1 ? path : path + "." + std::to_string(index);
}

void refuseSharedPaths(const std::vector<OutputFile>& outputs, const std::vector<std::string>& scenarios) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string key = sameFileKey(outputs[i].path);
    for (size_t j = 0; j < i; ++j)
      if (sameFileKey(outputs[j].path) == key)
        throw InputError(outputs[j].option + " and " + outputs[i].option + " name the same file " + outputs[i].path +
                         "; give each report its own file");
    for (const auto& s : scenarios)
      if (sameFileKey(s) == key)
        throw InputError(outputs[i].option + " " + outputs[i].path + " is a scenario of this run; it would be overwritten");
  }
}

void refuseUnwritable(const OutputFile& o) {
  struct stat st;
  if (::stat(o.path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) cannotWrite(o, EISDIR);
  int fd = ::open(o.path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) cannotWrite(o, errno);
  ::close(fd);
}

bool isStream(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

void writeWholeFile(const OutputFile& o, const std::string& text) {
  struct stat st;
  const bool exists = ::stat(o.path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) return writeInPlace(o, text);
  const std::string temp = o.path + ".partial";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, exists ? (st.st_mode & 07777) : 0666);
  if (fd < 0) return writeInPlace(o, text);  // e.g. a writable file in a read-only directory
  bool ok = writeAll(fd, text);
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(temp.c_str(), o.path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    cannotWrite(o, err);
  }
}

}  // namespace dlsim::cli
