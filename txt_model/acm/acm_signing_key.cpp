// dlsim's simulated ACM signing key (acm_signing_key.h).
#include "txt_model/acm/acm_signing_key.h"

#include <algorithm>
#include <memory>

#include <botan/bigint.h>
#include <botan/hash.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include "sim/errors.h"

namespace dlsim::txt {
namespace {

// The primes (big-endian hex), from the generation acm_signing_key.h names.
constexpr const char* kP =
    "F0BD15602FB392CE81C6394012EB1381F20E05E83031719886E57187248A4033B9B2A0E055084C295445C1FC59E627E68750F950728D0817"
    "D93A5BDFED007376EEE00F1E8CAD02011DA47A735DCC603B923D6747D84D7565AEB1D20E84E460201B8560670D3852F5AC0633DF6973D342"
    "D75795E3B3C66E012FC46C5CD9426117";
constexpr const char* kQ =
    "D8C9CEE98D06FC1BD7E290CB6CAE94818B5DD672C1EF9E790A1547C558559614E54AEF54F3A87C2FD1C8AD8DD64BDDA20B28B6D7EDA93BE3"
    "D42E24AB1C3EDE3EA785792D913C8E85686FC95284FD137585DE70AB65E523284E279824E2079B25FD9B77D8C0A9F95F8976F9D16B15877B"
    "50D1365C3B074B0B2D6D96A20497EAAD";

const Botan::RSA_PrivateKey& key() {
  static const Botan::RSA_PrivateKey k(Botan::BigInt("0x" + std::string(kP)), Botan::BigInt("0x" + std::string(kQ)),
                                       Botan::BigInt(kAcmSigningKeyExponent));
  return k;
}

std::vector<uint8_t> toLe(const Botan::BigInt& v, size_t bytes) {
  auto be = Botan::BigInt::encode_1363(v, bytes);
  return std::vector<uint8_t>(be.rbegin(), be.rend());
}

Botan::BigInt fromLe(std::span<const uint8_t> le) {
  std::vector<uint8_t> be(le.rbegin(), le.rend());
  return Botan::BigInt(be.data(), be.size());
}

// PKCS#1 v1.5 signing is deterministic, so this RNG is never asked for
// bytes that reach the output; Botan's API wants one anyway (blinding).
class NoRandomness : public Botan::RandomNumberGenerator {
 public:
  void randomize(uint8_t out[], size_t len) override {
    // Blinding factors: fixed bytes keep the run deterministic and do not
    // change a PKCS#1 v1.5 signature.
    for (size_t i = 0; i < len; ++i) out[i] = static_cast<uint8_t>(0x5A ^ (counter_++ & 0xFF));
  }
  bool accepts_input() const override { return false; }
  void add_entropy(const uint8_t[], size_t) override {}
  std::string name() const override { return "dlsim-fixed"; }
  void clear() override {}
  bool is_seeded() const override { return true; }

 private:
  uint64_t counter_ = 0;
};

}  // namespace

std::vector<uint8_t> acmSigningKeyModulusLe() { return toLe(key().get_n(), 256); }

std::vector<uint8_t> acmSign(std::span<const uint8_t> message) {
  NoRandomness rng;
  Botan::PK_Signer signer(key(), rng, "EMSA3(SHA-256)");
  auto sig = signer.sign_message(message.data(), message.size(), rng);
  std::vector<uint8_t> le(sig.rbegin(), sig.rend());
  le.resize(256, 0);
  return le;
}

bool acmVerifySignature(std::span<const uint8_t> modulusLe, uint32_t exponent, std::span<const uint8_t> message,
                        std::span<const uint8_t> signatureLe) {
  Botan::BigInt n = fromLe(modulusLe);
  if (n.bits() < 512 || exponent < 3 || (exponent & 1) == 0) return false;
  Botan::RSA_PublicKey pub(n, Botan::BigInt(exponent));
  Botan::PK_Verifier verifier(pub, "EMSA3(SHA-256)");
  std::vector<uint8_t> be(signatureLe.rbegin(), signatureLe.rend());
  return verifier.verify_message(message.data(), message.size(), be.data(), be.size());
}

std::array<uint8_t, 32> txtPublicKeyHash(std::span<const uint8_t> modulusLe) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(modulusLe.data(), modulusLe.size());
  auto d = h->final();
  std::array<uint8_t, 32> out{};
  std::copy(d.begin(), d.end(), out.begin());
  return out;
}

std::array<uint8_t, 32> dlsimTxtPublicKey() { return txtPublicKeyHash(acmSigningKeyModulusLe()); }

}  // namespace dlsim::txt
