#pragma once
#include <string>
#include <string_view>

namespace b2w {

// An opaque, unguessable id that sorts by creation time: "usr_01JD5X8Q2M6T0W9YV3K7B4N1CE"
// (prefix, then a ULID: 48-bit millisecond time + 80 random bits, Crockford base32).
std::string new_id(std::string_view prefix);

// Cryptographically random bytes as lower-case hex.
std::string random_hex(std::size_t bytes);

}  // namespace b2w
