#include "cpu_model/unicorn_context.h"

#include <cstddef>
#include <cstring>

#include "sim/errors.h"

namespace dlsim {

namespace {

// Mirror of `struct uc_context` (include/uc_priv.h, Unicorn 2.1.1).
struct UcContextMirror {
  size_t contextSize;
  int mode;
  int arch;
  int snapshotLevel;
  char data[4];  // flexible in Unicorn; starts right after snapshot_level
};
constexpr size_t kHeader = offsetof(UcContextMirror, data);
static_assert(kHeader == 20 && sizeof(UcContextMirror) == 24);

// Checked on Debian's 2.1.1 build with probes raising #GP(0x38) and INT 0x21.
size_t oldExceptionOffset(size_t contextSize) { return contextSize - 64; }
size_t errorCodeOffset(size_t contextSize) { return contextSize - 64 - 112; }
size_t isIntOffset(size_t contextSize) { return contextSize - 64 - 108; }

UcContextMirror* mirror(uc_context* c) { return reinterpret_cast<UcContextMirror*>(c); }

int32_t readI32(const char* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

void checkUnicornContextLayout(uc_engine* uc) {
  uc_context* ctx = nullptr;
  if (uc_context_alloc(uc, &ctx) != UC_ERR_OK) throw InternalError("Unicorn: cannot allocate a context");
  bool ok = uc_context_save(uc, ctx) == UC_ERR_OK;
  UcContextMirror* m = mirror(ctx);
  ok = ok && m->contextSize + sizeof(UcContextMirror) == uc_context_size(uc) && m->contextSize > 256 &&
       readI32(m->data + oldExceptionOffset(m->contextSize)) == -1;
  uc_context_free(ctx);
  if (!ok)
    throw InternalError(
        "this Unicorn build's CPU context layout is not the one of Unicorn 2.1.1 that dlsim's exception delivery "
        "depends on (see cpu_model/unicorn_context.h); install Debian's libunicorn-dev 2.1.1 (scripts/setup.sh)");
}

ExceptionInfo takeExceptionInfo(uc_engine* uc, uc_context* scratch) {
  ExceptionInfo info;
  if (uc_context_save(uc, scratch) != UC_ERR_OK) return info;
  UcContextMirror* m = mirror(scratch);
  info.errorCode = static_cast<uint32_t>(readI32(m->data + errorCodeOffset(m->contextSize)));
  info.software = readI32(m->data + isIntOffset(m->contextSize)) != 0;
  const int32_t none = -1;
  std::memcpy(m->data + oldExceptionOffset(m->contextSize), &none, 4);
  uc_context_restore(uc, scratch);
  return info;
}

}  // namespace dlsim
