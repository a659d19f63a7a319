#pragma once
#include <string>
#include <string_view>

// Hashes and their hex form, in one place (OpenSSL EVP).
namespace b2w {

std::string to_hex(std::string_view bytes);
std::string sha256(std::string_view data);  // 32 raw bytes
std::string sha1(std::string_view data);    // 20 raw bytes (Redis script ids, WebSocket handshakes)
std::string md5(std::string_view data);     // 16 raw bytes (Fundist's API hashes only)
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string hmac_sha512(std::string_view key, std::string_view data);  // 64 raw bytes
// Equal contents, compared in time that depends only on the sizes (signatures, MACs).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace b2w
