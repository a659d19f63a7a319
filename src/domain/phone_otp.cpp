#include "domain/phone_otp.hpp"

#include <algorithm>
#include <cctype>

#include "domain/accounts.hpp"

namespace b2w::domain {

std::string_view to_string(OtpPurpose purpose) {
  switch (purpose) {
    case OtpPurpose::verify_phone:
      return "verify_phone";
    case OtpPurpose::login:
      return "login";
    case OtpPurpose::password_reset:
      return "password_reset";
  }
  return "verify_phone";
}

std::optional<OtpPurpose> parse_otp_purpose(std::string_view text) {
  for (auto p : {OtpPurpose::verify_phone, OtpPurpose::login, OtpPurpose::password_reset})
    if (to_string(p) == text) return p;
  return std::nullopt;
}

std::optional<std::string> normalize_nigerian_mobile(std::string_view raw) {
  auto phone = normalize_phone(raw);
  if (!phone || phone->size() != 14 || phone->rfind("+234", 0) != 0) return std::nullopt;
  // Mobile ranges start 7, 8 or 9 after the country code (070x, 080x, 081x, 090x, 091x locally).
  const char first = (*phone)[4];
  if (first != '7' && first != '8' && first != '9') return std::nullopt;
  return phone;
}

bool is_otp_code(std::string_view code, int length) {
  return length > 0 && code.size() == static_cast<std::size_t>(length) &&
         std::all_of(code.begin(), code.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string mask_phone(std::string_view e164) {
  if (e164.size() < 8) return std::string(e164.size(), '*');
  const std::size_t head = e164.rfind("+234", 0) == 0 ? 4 : 3;
  std::string out(e164.substr(0, head));
  out.append(e164.size() - head - 3, '*');
  out.append(e164.substr(e164.size() - 3));
  return out;
}

}  // namespace b2w::domain
