#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Free-text fields people type (names, reasons): pure checks, no I/O.
namespace b2w::domain {

// Why a display text is refused, or nullopt: it must be valid UTF-8 of 1 to `max_chars` code points, not
// blank, without control characters (C0, DEL, C1), Unicode bidirectional overrides (they make a name read
// differently on screen) or markup characters ('<', '>'), which would reach back-office pages and bank files.
std::optional<std::string> display_text_problem(std::string_view text, std::size_t max_chars);

}  // namespace b2w::domain
