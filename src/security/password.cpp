#include "security/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace b2w::security {
namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

std::string PasswordHasher::hash(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool PasswordHasher::usable(std::string_view encoded) {
  return encoded.starts_with("$argon2");
}

bool PasswordHasher::verify(std::string_view password, const std::string& encoded) {
  if (!usable(encoded)) return false;
  ensure_sodium();
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

const std::string& PasswordHasher::decoy_hash() {
  static const std::string decoy = hash("decoy password that never matches anything");
  return decoy;
}

}  // namespace b2w::security
