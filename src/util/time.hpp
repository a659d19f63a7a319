#pragma once
#include <cstdint>
#include <string>

namespace b2w {

// Epoch microseconds as RFC 3339 UTC with millisecond precision: "2026-11-25T21:06:59.123Z".
std::string rfc3339(std::int64_t epoch_micros);

}  // namespace b2w
