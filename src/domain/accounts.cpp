#include "domain/accounts.hpp"

#include <algorithm>
#include <cctype>

namespace b2w::domain {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view raw) {
  const auto s = trim(raw);
  if (s.size() < 3 || s.size() > 254) return std::nullopt;
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return std::nullopt;
  const auto local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.size() > 64 || domain.size() < 3 || domain.find('.') == std::string_view::npos) return std::nullopt;
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) return std::nullopt;
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == '"' ||
        c == '\\')
      return std::nullopt;
    out += static_cast<char>(std::tolower(u));
  }
  return out;
}

std::optional<std::string> normalize_phone(std::string_view raw) {
  const auto s = trim(raw);
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+' && i == 0)
      plus = true;
    else if (std::isdigit(static_cast<unsigned char>(c)))
      digits += c;
    else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.')
      continue;
    else
      return std::nullopt;
  }
  if (plus) {
    if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') return std::nullopt;
    if (digits.rfind("234", 0) == 0 && digits.size() != 13) return std::nullopt;  // +234 + 10 digits
    return "+" + digits;
  }
  // Nigerian local format: 0 followed by 10 digits, mobile prefixes 70x, 80x, 81x, 90x, 91x.
  if (digits.size() == 11 && digits.front() == '0') {
    const auto prefix = digits.substr(1, 2);
    if (prefix == "70" || prefix == "80" || prefix == "81" || prefix == "90" || prefix == "91")
      return "+234" + digits.substr(1);
    return std::nullopt;
  }
  // Already international without the plus: 234 + 10 digits.
  if (digits.size() == 13 && digits.rfind("234", 0) == 0) return "+" + digits;
  return std::nullopt;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return s.size();
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return s.size();
    i += len;
    ++n;
  }
  return n;
}

}  // namespace b2w::domain
