// Odds and money (domain/odds.hpp, domain/money.hpp): parsing, formatting and the exact arithmetic.
//
// Properties:
//  - parse_odds accepts exactly the decimal strings "D[.d{1,3}]" (no sign, no leading zero, at most
//    12 characters) whose value lies within 1.01 to 1000, and its result is that value in thousandths;
//  - format_odds gives a string that parses back to the same odds (round trip) and is canonical:
//    formatting its parse gives it again;
//  - product_text and payout equal floor(stake x product) computed independently with 128-bit
//    integers (up to four legs, where that cannot overflow);
//  - checked_add matches 128-bit addition; posting_problem accepts exactly the sets of postings
//    that are at least two, non-zero, within kMaxPosting, on distinct non-empty accounts and sum to zero.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "domain/odds.hpp"

namespace {

using namespace b2w::domain;
using u128 = unsigned __int128;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

// The odds a string denotes under the documented grammar, independently of parse_odds.
std::optional<Odds> reference_odds(const std::string& s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::size_t i = 0;
  u128 whole = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') whole = whole * 10 + static_cast<unsigned>(s[i++] - '0');
  if (i == 0 || (i > 1 && s[0] == '0')) return std::nullopt;
  u128 thousandths = whole * 1000;
  if (i < s.size()) {
    if (s[i++] != '.') return std::nullopt;
    const std::size_t first = i;
    u128 scale = 100;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      thousandths += static_cast<unsigned>(s[i++] - '0') * scale;
      scale /= 10;
    }
    if (i != s.size() || i == first || i - first > 3) return std::nullopt;
  }
  if (thousandths < static_cast<u128>(kMinOdds) || thousandths > static_cast<u128>(kMaxOdds)) return std::nullopt;
  return static_cast<Odds>(thousandths);
}

std::string decimal(u128 v) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v > 0);
  return s;
}

void check_odds_text(const std::string& text) {
  const auto parsed = parse_odds(text);
  if (parsed != reference_odds(text)) fail("parse_odds disagrees with the grammar");
  if (!parsed) return;
  const auto formatted = format_odds(*parsed);
  if (parse_odds(formatted) != parsed) fail("format_odds does not round-trip");
  if (format_odds(*parse_odds(formatted)) != formatted) fail("format_odds is not canonical");
}

void check_arithmetic(FuzzedDataProvider& in) {
  const auto stake = in.ConsumeIntegralInRange<std::int64_t>(0, INT32_MAX);
  std::vector<Odds> legs(in.ConsumeIntegralInRange<std::size_t>(0, 4));
  for (auto& leg : legs) leg = in.ConsumeIntegralInRange<Odds>(kMinOdds, kMaxOdds);
  u128 product = 1;
  u128 scale = 1;
  for (const auto leg : legs) {
    product *= static_cast<u128>(leg);
    scale *= 1000;
  }
  // product_text: the exact product with its trailing zeros trimmed to two decimals at least.
  const auto text = product_text(legs);
  std::string digits = decimal(product);
  const std::size_t decimals = 3 * legs.size();
  if (digits.size() <= decimals) digits.insert(0, decimals - digits.size() + 1, '0');
  std::string frac = digits.substr(digits.size() - decimals);
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  if (frac.size() < 2) frac.append(2 - frac.size(), '0');
  if (text != digits.substr(0, digits.size() - decimals) + "." + frac) fail("product_text is not the exact product");

  const u128 exact = static_cast<u128>(stake) * product / scale;
  const auto cap = in.ConsumeIntegral<std::int64_t>();
  const auto got = payout(stake, legs, cap);
  const bool within = cap >= 0 && exact <= static_cast<u128>(cap) && exact < static_cast<u128>(1e18);
  if (within != got.has_value()) {
    std::fprintf(stderr, "stake %lld, %zu legs, cap %lld, exact %s, payout %s\n", static_cast<long long>(stake),
                 legs.size(), static_cast<long long>(cap), decimal(exact).c_str(),
                 got ? std::to_string(*got).c_str() : "refused");
    fail("payout refused a payout within the cap, or allowed one above it");
  }
  if (got && static_cast<u128>(*got) != exact) fail("payout is not floor(stake x product)");
}

void check_money(FuzzedDataProvider& in) {
  const auto a = in.ConsumeIntegral<Kobo>();
  const auto b = in.ConsumeIntegral<Kobo>();
  const __int128 sum = static_cast<__int128>(a) + b;
  const bool fits = sum >= INT64_MIN && sum <= INT64_MAX;
  const auto added = checked_add(a, b);
  if (added.has_value() != fits || (added && *added != sum)) fail("checked_add");

  std::vector<Posting> postings(in.ConsumeIntegralInRange<std::size_t>(0, 5));
  for (auto& p : postings) {
    p.account_id = in.ConsumeRandomLengthString(3);
    switch (in.ConsumeIntegralInRange<int>(0, 2)) {
      case 0:
        p.amount = in.ConsumeIntegral<Kobo>();
        break;
      case 1:
        p.amount = in.ConsumeIntegralInRange<Kobo>(-1000, 1000);
        break;
      default:
        p.amount = in.ConsumeBool() ? kMaxPosting : -kMaxPosting;
        break;
    }
  }
  // The last posting sometimes balances the others, so valid transactions are common.
  if (postings.size() >= 2 && in.ConsumeBool()) {
    __int128 rest = 0;
    for (std::size_t i = 0; i + 1 < postings.size(); ++i) rest += postings[i].amount;
    if (rest >= -kMaxPosting && rest <= kMaxPosting) postings.back().amount = static_cast<Kobo>(-rest);
  }
  bool valid = postings.size() >= 2;
  std::set<std::string> accounts;
  __int128 total = 0;
  for (const auto& p : postings) {
    valid = valid && p.amount != 0 && p.amount <= kMaxPosting && p.amount >= -kMaxPosting && !p.account_id.empty() &&
            accounts.insert(p.account_id).second;
    total += p.amount;
  }
  valid = valid && total == 0;
  if (posting_problem(postings).has_value() == valid) fail("posting_problem");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
      check_odds_text(in.ConsumeRemainingBytesAsString());
      break;
    case 1: {  // formatting any odds in range
      const auto odds = in.ConsumeIntegralInRange<Odds>(kMinOdds, kMaxOdds);
      if (parse_odds(format_odds(odds)) != odds) fail("format_odds does not round-trip");
      check_odds_text(format_odds(odds));
      break;
    }
    case 2:
      check_arithmetic(in);
      break;
    default:
      check_money(in);
      break;
  }
  return 0;
}
