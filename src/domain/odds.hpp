#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Decimal odds held as exact integers: thousandths ("1.85" -> 1850), 1.01 to 1000.
// Accumulator arithmetic is exact (arbitrary precision), payouts are floored to the kobo.
namespace b2w::domain {

using Odds = std::int64_t;  // thousandths
inline constexpr Odds kMinOdds = 1010;
inline constexpr Odds kMaxOdds = 1'000'000;

// "1.85", "2", "10.125" (at most 3 decimals, no sign, no exponent); nullopt when malformed or out of range.
std::optional<Odds> parse_odds(std::string_view text);
// 1850 -> "1.85", 2000 -> "2.00", 10125 -> "10.125": at least two decimals, no trailing zeros beyond them.
std::string format_odds(Odds odds);

// The product of several odds as an exact decimal string (e.g. 1.85 x 2.10 = "3.885").
std::string product_text(const std::vector<Odds>& legs);

// floor(stake x product of odds), exact; nullopt when it exceeds `cap` (so callers can refuse it).
std::optional<std::int64_t> payout(std::int64_t stake, const std::vector<Odds>& legs, std::int64_t cap);
// Whether a bet paying up to `potential_payout` fits a player's cap on a day's payouts, given what the day's other
// open and won bets may pay (`day_payouts`). All amounts in kobo, each at most the money ceiling (no overflow).
bool fits_day_payout_cap(std::int64_t day_payouts, std::int64_t potential_payout, std::int64_t cap);

}  // namespace b2w::domain
