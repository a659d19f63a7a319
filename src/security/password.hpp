#pragma once
#include <string>
#include <string_view>

namespace b2w::security {

// argon2id (libsodium crypto_pwhash) at OWASP's minimum or above: 19 MiB, t=2, p=1.
// Both calls take tens of milliseconds of CPU by design: call them off the I/O threads.
class PasswordHasher {
 public:
  static constexpr unsigned long long kOpsLimit = 2;
  static constexpr std::size_t kMemLimit = 19u * 1024 * 1024;

  // "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"
  static std::string hash(std::string_view password);
  static bool verify(std::string_view password, const std::string& encoded);
  // A fixed hash to verify against when the account does not exist, so timing does not tell.
  static const std::string& decoy_hash();
  // Stored for accounts that have no password (created by Google sign-in): no password verifies against it.
  // It is not in argon2's encoding, so libsodium refuses it too; login verifies the decoy instead (same cost).
  static constexpr std::string_view kNoPassword = "!no-password";
  // False for kNoPassword (and anything else that is not an argon2 hash).
  static bool usable(std::string_view encoded);
};

}  // namespace b2w::security
