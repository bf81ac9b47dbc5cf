#include "cpu_model/unicorn_build.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <unicorn/unicorn.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace dlsim::unicorn_build {

namespace {

// Debian trixie's libunicorn2t64 2.1.1-2+b2 (amd64): the build the private
// offsets were read from (`readelf -n /usr/lib/x86_64-linux-gnu/libunicorn.so.2`).
constexpr const char* kPinnedBuildId = "b619fbf56f0accc13c25a9cf5e7bc59c85e70440";
constexpr const char* kPinnedPackage = "Debian libunicorn2t64 2.1.1-2+b2 amd64";

struct Search {
  ElfW(Addr) symbol = 0;  // an address inside the library (uc_version's code)
  std::string id;
};

std::string hexOf(const uint8_t* p, size_t n) {
  std::string s;
  char b[3];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, "%02x", p[i]);
    s += b;
  }
  return s;
}

// In the loaded object that holds s->symbol: the NT_GNU_BUILD_ID note.
int findBuildId(dl_phdr_info* info, size_t, void* data) {
  auto* s = static_cast<Search*>(data);
  bool holds = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    const ElfW(Addr) from = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && s->symbol >= from && s->symbol < from + ph.p_memsz) holds = true;
  }
  if (!holds) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const auto* p = reinterpret_cast<const uint8_t*>(info->dlpi_addr + ph.p_vaddr);
    const uint8_t* end = p + ph.p_filesz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) h;
      std::memcpy(&h, p, sizeof h);
      const uint8_t* name = p + sizeof h;
      const uint8_t* desc = name + ((h.n_namesz + 3) & ~3u);
      const uint8_t* next = desc + ((h.n_descsz + 3) & ~3u);
      if (next > end) break;
      if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        s->id = hexOf(desc, h.n_descsz);
        return 1;
      }
      p = next;
    }
  }
  return 1;
}

std::string readBuildId() {
  // The library's own definition (not a PLT stub of the executable).
  void* lib = dlopen("libunicorn.so.2", RTLD_LAZY | RTLD_NOLOAD);
  void* sym = lib ? dlsym(lib, "uc_version") : nullptr;
  if (lib) dlclose(lib);
  if (!sym) return "";
  Search s;
  s.symbol = reinterpret_cast<ElfW(Addr)>(sym);
  dl_iterate_phdr(findBuildId, &s);
  return s.id;
}

}  // namespace

std::string version() {
  unsigned major = 0, minor = 0;
  const unsigned v = uc_version(&major, &minor);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string((v >> 8) & 0xff);
}

std::string buildId() {
  static const std::string id = readBuildId();
  return id;
}

bool isPinned() { return buildId() == kPinnedBuildId; }

std::string package() { return isPinned() ? kPinnedPackage : "unknown"; }

}  // namespace dlsim::unicorn_build
