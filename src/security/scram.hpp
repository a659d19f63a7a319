#pragma once
#include <string>
#include <string_view>

namespace b2w::security {

// PostgreSQL's stored form of a password, SCRAM-SHA-256 (RFC 5802/7677, as `CREATE ROLE ... PASSWORD`
// accepts it): "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>", base64. Computed here so that
// the password itself never reaches the server (nor its statement log), as psql's \password does.
// Only printable ASCII passwords are accepted (SASLprep leaves them unchanged); others throw
// std::invalid_argument.
inline constexpr int kScramIterations = 4096;  // PostgreSQL's default scram_iterations
std::string scram_sha256_verifier(std::string_view password, std::string_view salt, int iterations = kScramIterations);
// With a random 16-byte salt.
std::string scram_sha256_verifier(std::string_view password);

}  // namespace b2w::security
