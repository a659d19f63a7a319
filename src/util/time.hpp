#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b2w {

// Epoch microseconds as RFC 3339 UTC with millisecond precision: "2026-11-25T21:06:59.123Z".
std::string rfc3339(std::int64_t epoch_micros);

}  // namespace b2w

namespace b2w {

// "2026-11-25T21:06:59Z", "2026-11-25T21:06:59.123456+01:00", "...z" (a 'T' or space between date
// and time) to epoch microseconds; nullopt when malformed or out of the years 1970 to 9999.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace b2w
