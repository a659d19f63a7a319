#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Password rules (OWASP ASVS 4.0.3 V2.1): pure functions, no I/O.
namespace b2w::domain {

// What the password must not be made of: the account's own identity.
struct PasswordContext {
  std::string_view email;  // normalized (lower-case)
};

inline constexpr std::size_t kMinPasswordLength = 12;   // ASVS 4.0.3 V2.1.1
inline constexpr std::size_t kMaxPasswordLength = 128;  // ASVS 4.0.3 V2.1.2 (and a bound on argon2's input)

// Why a password is refused, or nullopt. Length is counted in characters (code points), not bytes;
// any character is allowed and there are no composition rules (V2.1.4, V2.1.9); the password is
// used exactly as given, never trimmed or truncated. Refused: shorter than 12 or longer than 128
// characters; one character repeated; a common password (is_common_password); the email address
// or its local part with digits and symbols around it, or the service's name ("bet2wealth").
std::optional<std::string> password_problem(std::string_view password, const PasswordContext& context = {});

// True for one of the 30,000 most common leaked passwords (python3-zxcvbn's list, embedded at
// build time), compared without regard to ASCII case, and also with the digits, symbols and
// spaces at either end taken away on both sides ("Dragon2024!" is "dragon"; "1qaz2wsx99" is
// "1qaz2wsx"'s core "qaz2wsx").
bool is_common_password(std::string_view password);

// The embedded list (generated/common_passwords.cpp): one password per line.
extern const std::string_view kCommonPasswordList;
extern const std::size_t kCommonPasswordCount;

}  // namespace b2w::domain
