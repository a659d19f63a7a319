#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "domain/money.hpp"

// Naira written as decimal text ("123.45"), as aggregators send and expect amounts, to and from kobo.
// Exact: no floating point.
namespace b2w::domain {

// "0", "12", "12.3", "12.34" -> kobo; nullopt for a sign, more than 2 decimals, anything but digits and one
// point, an empty part ("12.", ".5") or more than kMaxPosting.
std::optional<Kobo> parse_decimal_naira(std::string_view text);
// 12345 -> "123.45"; -5 -> "-0.05" (exactly 2 decimals).
std::string format_decimal_naira(Kobo kobo);

}  // namespace b2w::domain
