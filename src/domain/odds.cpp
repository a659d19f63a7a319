#include "domain/odds.hpp"

#include <algorithm>

namespace b2w::domain {
namespace {

// A minimal unsigned big integer (base 10^9 limbs, least significant first): enough for
// products of 20 odds and a stake, and for dividing by powers of ten.
class BigNat {
 public:
  explicit BigNat(std::uint64_t v) {
    do {
      limbs_.push_back(static_cast<std::uint32_t>(v % kBase));
      v /= kBase;
    } while (v > 0);
  }
  void multiply(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (auto& limb : limbs_) {
      const std::uint64_t x = static_cast<std::uint64_t>(limb) * m + carry;
      limb = static_cast<std::uint32_t>(x % kBase);
      carry = x / kBase;
    }
    while (carry > 0) {
      limbs_.push_back(static_cast<std::uint32_t>(carry % kBase));
      carry /= kBase;
    }
  }
  std::string decimal() const {
    std::string out = std::to_string(limbs_.back());
    for (auto it = limbs_.rbegin() + 1; it != limbs_.rend(); ++it) {
      std::string part = std::to_string(*it);
      out += std::string(9 - part.size(), '0') + part;
    }
    return out;
  }

 private:
  static constexpr std::uint64_t kBase = 1'000'000'000;
  std::vector<std::uint32_t> limbs_;
};

}  // namespace

std::optional<Odds> parse_odds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && (frac.empty() || frac.size() > 3))) return std::nullopt;
  if (whole.size() > 1 && whole.front() == '0') return std::nullopt;
  Odds value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > kMaxOdds) return std::nullopt;
  }
  value *= 1000;
  Odds scale = 100;
  for (char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  if (value < kMinOdds || value > kMaxOdds) return std::nullopt;
  return value;
}

std::string format_odds(Odds odds) {
  std::string frac = std::to_string(odds % 1000);
  frac = std::string(3 - frac.size(), '0') + frac;
  if (frac.back() == '0') frac.pop_back();
  return std::to_string(odds / 1000) + "." + frac;
}

std::string product_text(const std::vector<Odds>& legs) {
  BigNat product(1);
  for (const auto leg : legs) product.multiply(static_cast<std::uint32_t>(leg));
  std::string digits = product.decimal();
  const std::size_t decimals = 3 * legs.size();
  if (digits.size() <= decimals) digits = std::string(decimals - digits.size() + 1, '0') + digits;
  std::string whole = digits.substr(0, digits.size() - decimals);
  std::string frac = digits.substr(digits.size() - decimals);
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  if (frac.size() < 2) frac.append(2 - frac.size(), '0');
  return whole + "." + frac;
}

std::optional<std::int64_t> payout(std::int64_t stake, const std::vector<Odds>& legs, std::int64_t cap) {
  if (stake < 0) return std::nullopt;
  BigNat product(static_cast<std::uint64_t>(stake));
  for (const auto leg : legs) product.multiply(static_cast<std::uint32_t>(leg));
  // Dividing by 1000 per leg is dropping 3 decimal digits per leg: floor is truncation.
  std::string digits = product.decimal();
  const std::size_t drop = 3 * legs.size();
  if (digits.size() <= drop) return cap >= 0 ? std::optional<std::int64_t>(0) : std::nullopt;  // below one kobo
  digits.resize(digits.size() - drop);
  if (digits.size() > 18) return std::nullopt;  // beyond any cap
  const auto value = std::stoll(digits);
  if (value > cap) return std::nullopt;
  return value;
}

bool fits_day_payout_cap(std::int64_t day_payouts, std::int64_t potential_payout, std::int64_t cap) {
  return potential_payout <= cap - day_payouts;
}

}  // namespace b2w::domain
