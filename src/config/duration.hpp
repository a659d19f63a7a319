#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace b2w::config {

// Parses "500ms", "30s", "15m", "1h", "7d". A bare number takes bare_unit
// (seconds for most settings; milliseconds for the REDIS_POOL_* timeouts).
// Returns nullopt and sets `error` when the text is not a valid duration.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::chrono::milliseconds bare_unit,
                                                        std::string& error);

// Parses a byte size: "1048576", "512KiB", "1MiB" (also KB/MB as powers of 1024).
std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& error);

std::string format_duration(std::chrono::milliseconds d);

}  // namespace b2w::config
