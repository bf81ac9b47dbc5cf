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

ContextOffsets& offsets() {
  static ContextOffsets o;
  return o;
}

size_t oldExceptionOffset(size_t contextSize) { return contextSize - offsets().oldExceptionFromEnd; }
size_t errorCodeOffset(size_t contextSize) { return contextSize - offsets().errorCodeFromEnd; }
size_t isIntOffset(size_t contextSize) { return contextSize - offsets().isIntFromEnd; }

UcContextMirror* mirror(uc_context* c) { return reinterpret_cast<UcContextMirror*>(c); }
// The context's bytes after the header, addressed from the allocation itself:
// indexing the mirror's char[4] past its end is undefined behaviour.
char* dataOf(uc_context* c) { return reinterpret_cast<char*>(c) + kHeader; }

int32_t readI32(const char* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

bool contextHeaderLooksRight(uc_engine* uc) {
  uc_context* ctx = nullptr;
  if (uc_context_alloc(uc, &ctx) != UC_ERR_OK) return false;
  bool ok = uc_context_save(uc, ctx) == UC_ERR_OK;
  UcContextMirror* m = mirror(ctx);
  ok = ok && m->contextSize + sizeof(UcContextMirror) == uc_context_size(uc) && m->contextSize > 256 &&
       m->contextSize > offsets().errorCodeFromEnd && readI32(dataOf(ctx) + oldExceptionOffset(m->contextSize)) == -1;
  uc_context_free(ctx);
  return ok;
}

const ContextOffsets& contextOffsets() { return offsets(); }

void setContextOffsetsForTest(const ContextOffsets& o) { offsets() = o; }

ExceptionInfo takeExceptionInfo(uc_engine* uc, uc_context* scratch) {
  ExceptionInfo info;
  if (uc_context_save(uc, scratch) != UC_ERR_OK) return info;
  UcContextMirror* m = mirror(scratch);
  info.errorCode = static_cast<uint32_t>(readI32(dataOf(scratch) + errorCodeOffset(m->contextSize)));
  info.software = readI32(dataOf(scratch) + isIntOffset(m->contextSize)) != 0;
  const int32_t none = -1;
  std::memcpy(dataOf(scratch) + oldExceptionOffset(m->contextSize), &none, 4);
  uc_context_restore(uc, scratch);
  return info;
}

}  // namespace dlsim
