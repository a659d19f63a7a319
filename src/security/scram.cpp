#include "security/scram.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

#include "security/base64url.hpp"
#include "util/digest.hpp"

namespace b2w::security {
namespace {}  // namespace

std::string scram_sha256_verifier(std::string_view password, std::string_view salt, int iterations) {
  if (password.empty()) throw std::invalid_argument("the password is empty");
  if (!std::all_of(password.begin(), password.end(), [](char c) { return c >= 0x21 && c <= 0x7e; }))
    throw std::invalid_argument("the password must be printable ASCII without spaces");
  if (salt.empty() || iterations < 1) throw std::invalid_argument("SCRAM needs a salt and at least one iteration");
  unsigned char salted[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                        EVP_sha256(), sizeof salted, salted) != 1)
    throw std::runtime_error("PBKDF2 failed");
  const std::string_view salted_password(reinterpret_cast<const char*>(salted), sizeof salted);
  const std::string stored_key = sha256(hmac_sha256(salted_password, "Client Key"));
  const std::string server_key = hmac_sha256(salted_password, "Server Key");
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" + base64_encode(salt) + "$" + base64_encode(stored_key) +
         ":" + base64_encode(server_key);
}

std::string scram_sha256_verifier(std::string_view password) {
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof salt) != 1) throw std::runtime_error("no random bytes for the salt");
  return scram_sha256_verifier(password, std::string_view(reinterpret_cast<const char*>(salt), sizeof salt));
}

}  // namespace b2w::security
