#include "domain/decimal_amount.hpp"

namespace b2w::domain {

std::optional<Kobo> parse_decimal_naira(std::string_view text) {
  const auto point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (whole.empty() || whole.size() > 16) return std::nullopt;
  if (point != std::string_view::npos && (fraction.empty() || fraction.size() > 2)) return std::nullopt;
  Kobo naira = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    naira = naira * 10 + (c - '0');
  }
  Kobo kobo = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    kobo = kobo * 10 + (c - '0');
  }
  const Kobo total = naira * 100 + kobo;
  if (total > kMaxPosting) return std::nullopt;
  return total;
}

std::string format_decimal_naira(Kobo kobo) {
  const bool negative = kobo < 0;
  // Negating the most negative value would overflow; balances are far from it, but stay exact anyway.
  const auto magnitude =
      negative ? static_cast<unsigned long long>(-(kobo + 1)) + 1 : static_cast<unsigned long long>(kobo);
  const auto cents = magnitude % 100;
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + (cents < 10 ? "0" : "") +
         std::to_string(cents);
}

}  // namespace b2w::domain
