// The Unicorn build identity dlsim gates the exit-check switch on, and the
// switch's forced-off setting.
#include "cpu_model/unicorn_build.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cpu_model/unicorn_exit_checks.h"

namespace dlsim {
namespace {

// The build ID as binutils reads it from the library file on disk.
std::string buildIdByReadelf() {
  void* lib = dlopen("libunicorn.so.2", RTLD_LAZY | RTLD_NOLOAD);
  Dl_info info{};
  const bool found = lib && dladdr(dlsym(lib, "uc_version"), &info) && info.dli_fname;
  if (lib) dlclose(lib);
  if (!found) return "";
  FILE* p = popen(("readelf -n '" + std::string(info.dli_fname) + "' 2>/dev/null").c_str(), "r");
  if (!p) return "";
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  const auto at = out.find("Build ID: ");
  if (at == std::string::npos) return "";
  auto id = out.substr(at + 10);
  return id.substr(0, id.find_first_of(" \n"));
}

TEST(UnicornBuild, BuildIdIsTheLoadedLibrarys) {
  const std::string expected = buildIdByReadelf();
  if (expected.empty()) GTEST_SKIP() << "readelf could not read the library's build ID";
  EXPECT_EQ(unicorn_build::buildId(), expected);
}

TEST(UnicornBuild, ThisMachineRunsThePinnedBuild) {
  EXPECT_EQ(unicorn_build::version(), "2.1.1");
  EXPECT_TRUE(unicorn_build::isPinned())
      << "libunicorn's build ID " << unicorn_build::buildId()
      << " is not the pinned one (cpu_model/unicorn_build.cpp): dlsim runs with Unicorn's exit checks everywhere "
         "(slower, same results). Re-read the private offsets for this build before pinning it.";
  EXPECT_NE(unicorn_build::package(), "unknown");
}

TEST(UnicornBuild, ForcingTheSwitchOffTakesTheFallback) {
  unicorn_exit_checks::setForcedOff(true);
  EXPECT_TRUE(unicorn_exit_checks::forcedOff());
  EXPECT_FALSE(unicorn_exit_checks::available());
  unicorn_exit_checks::setForcedOff(false);
  EXPECT_FALSE(unicorn_exit_checks::forcedOff());
  EXPECT_EQ(unicorn_exit_checks::available(), unicorn_build::isPinned());
}

}  // namespace
}  // namespace dlsim
