#include "domain/money.hpp"

#include <set>

namespace b2w::domain {

std::optional<Kobo> checked_add(Kobo a, Kobo b) {
  Kobo out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<std::string> posting_problem(const std::vector<Posting>& postings) {
  if (postings.size() < 2) return "a transaction needs at least two postings";
  std::set<std::string> seen;
  Kobo sum = 0;
  for (const auto& p : postings) {
    if (p.amount == 0) return "a posting of zero moves nothing";
    // Far above any real amount (10^15 kobo = ₦10 trillion): balances can never overflow.
    if (p.amount > kMaxPosting || p.amount < -kMaxPosting) return "a posting is larger than any real amount";
    if (p.account_id.empty()) return "a posting needs an account";
    if (!seen.insert(p.account_id).second) return "an account appears twice: " + p.account_id;
    auto next = checked_add(sum, p.amount);
    if (!next) return "the amounts overflow";
    sum = *next;
  }
  if (sum != 0) return "the postings do not sum to zero";
  return std::nullopt;
}

}  // namespace b2w::domain
