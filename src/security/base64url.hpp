#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace b2w::security {

// RFC 4648 §4, standard alphabet with padding (SMTP AUTH, MIME encoded-words, SCRAM verifiers).
std::string base64_encode(std::string_view bytes);
// RFC 4648 §5 without padding (JWT).
std::string base64url_encode(std::string_view bytes);
// Rejects padding, whitespace and characters outside the URL-safe alphabet.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace b2w::security
