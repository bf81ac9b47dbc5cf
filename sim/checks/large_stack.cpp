#include "sim/checks/large_stack.h"

#include <pthread.h>

#include <exception>

#include "sim/errors.h"

namespace dlsim {

namespace {
// Untouched stack pages cost no memory; only what the recursion uses does.
constexpr size_t kStackBytes = 512u << 20;

struct Job {
  const std::function<void()>* fn;
  std::exception_ptr error;
};

void* trampoline(void* arg) {
  auto* job = static_cast<Job*>(arg);
  try {
    (*job->fn)();
  } catch (...) {
    job->error = std::current_exception();
  }
  return nullptr;
}
}  // namespace

void runOnLargeStack(const std::function<void()>& fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kStackBytes);
  Job job{&fn, nullptr};
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, trampoline, &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) throw InternalError("cannot start the thread that evaluates serial regexes");
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace dlsim
