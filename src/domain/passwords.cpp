#include "domain/passwords.hpp"

#include <algorithm>
#include <unordered_set>

#include "domain/accounts.hpp"

namespace b2w::domain {
namespace {

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_padding(char c) {
  // Digits, ASCII punctuation and spaces: what people add around a word to pass composition rules.
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The password without the digits, symbols and spaces at either end.
std::string_view core_of(std::string_view s) {
  while (!s.empty() && is_padding(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_padding(s.back())) s.remove_suffix(1);
  return s;
}

std::string alnum_only(std::string_view s) {
  std::string out;
  for (char c : s)
    if (is_ascii_alnum(c)) out += c;
  return out;
}

// Every listed password and every listed password's core (cores shorter than 3 letters are left
// out: "a1" would refuse half the dictionary). Views into the embedded list; built once.
const std::unordered_set<std::string_view>& blocklist() {
  static const std::unordered_set<std::string_view> set = [] {
    std::unordered_set<std::string_view> s;
    s.reserve(kCommonPasswordCount * 2);
    std::string_view rest = kCommonPasswordList;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      const auto entry = rest.substr(0, nl);
      s.insert(entry);
      if (const auto core = core_of(entry); core.size() >= 3) s.insert(core);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
    return s;
  }();
  return set;
}

}  // namespace

bool is_common_password(std::string_view password) {
  const auto lowered = lower_ascii(password);
  const auto& list = blocklist();
  if (list.count(lowered)) return true;
  const auto core = core_of(lowered);
  return core.size() >= 3 && list.count(core);
}

std::optional<std::string> password_problem(std::string_view password, const PasswordContext& context) {
  const auto n = utf8_length(password);
  if (n < kMinPasswordLength) return "must be at least " + std::to_string(kMinPasswordLength) + " characters";
  if (n > kMaxPasswordLength) return "must be at most " + std::to_string(kMaxPasswordLength) + " characters";
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); }))
    return "must not be one character repeated";
  if (is_common_password(password)) return "is too common (it is on lists of leaked passwords): choose another";

  // Context-specific words (ASVS V2.1.7 / 5.0 V6.2.11): the account's email and the service's name.
  const auto lowered = lower_ascii(password);
  const auto core = alnum_only(core_of(lowered));
  if (core == "bet2wealth" || core == "betwealth") return "must not be the name of this service";
  if (!context.email.empty()) {
    const auto at = context.email.find('@');
    const auto local = alnum_only(context.email.substr(0, at));
    if (lowered.find(context.email) != std::string::npos || (local.size() >= 3 && core == local))
      return "must not be made from your email address";
  }
  return std::nullopt;
}

}  // namespace b2w::domain
