#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Money: integers in kobo (1 naira = 100 kobo), currency NGN. No floating point anywhere on a money path.
namespace b2w::domain {

using Kobo = std::int64_t;
inline constexpr std::string_view kCurrency = "NGN";

inline constexpr Kobo kMaxPosting = 1'000'000'000'000'000;

// a + b, or nullopt on overflow.
std::optional<Kobo> checked_add(Kobo a, Kobo b);

// One leg of a ledger transaction: `amount` is added to the account's balance (negative: taken from it).
struct Posting {
  std::string account_id;
  Kobo amount;
};

// Why a set of postings is not a valid double-entry transaction, or nullopt when it is:
// at least two postings, none zero, each account once, and they sum to exactly zero.
std::optional<std::string> posting_problem(const std::vector<Posting>& postings);

}  // namespace b2w::domain
