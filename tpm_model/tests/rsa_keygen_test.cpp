// Key generation must be a pure function of its inputs, not only through the
// in-process cache: two fresh generations (in two forked children, whose
// inherited caches do not hold this seed) give the same key, a valid one.
#include "tpm_model/rsa_keygen.h"

#include <botan/bigint.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace dlsim::tpm {
namespace {

// Generates in a child process; returns modulus || prime, or empty on failure.
std::vector<uint8_t> generateInChild(const std::vector<uint8_t>& seed) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const uint64_t before = rsaKeysGenerated();
    RsaKeyMaterial m = generateRsaKey(seed, 2048, 0);
    std::vector<uint8_t> out = m.modulus;
    out.insert(out.end(), m.prime.begin(), m.prime.end());
    if (rsaKeysGenerated() != before + 1) out.clear();  // must not come from the cache
    const bool ok = write(fds[1], out.data(), out.size()) == static_cast<ssize_t>(out.size());
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  std::vector<uint8_t> got;
  uint8_t buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) got.insert(got.end(), buf, buf + n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  return got;
}

TEST(RsaKeygen, TwoFreshGenerationsFromOneSeedGiveTheSameValidKey) {
  const std::vector<uint8_t> seed(32, 0xA5);
  const std::vector<uint8_t> a = generateInChild(seed);
  const std::vector<uint8_t> b = generateInChild(seed);
  ASSERT_EQ(a.size(), 256u + 128u);
  EXPECT_EQ(a, b);
  const Botan::BigInt n = Botan::BigInt::decode(a.data(), 256);
  const Botan::BigInt p = Botan::BigInt::decode(a.data() + 256, 128);
  EXPECT_EQ(n.bits(), 2048u);
  EXPECT_EQ(n % p, 0);  // p divides n
  EXPECT_GT(p, 1);
  EXPECT_LT(p, n);
  std::vector<uint8_t> other = seed;
  other[0] ^= 1;
  EXPECT_NE(generateInChild(other), a);
}

}  // namespace
}  // namespace dlsim::tpm
