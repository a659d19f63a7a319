#pragma once
#include <optional>
#include <string>
#include <string_view>

// One-time codes sent by SMS (identity/phone_otp.cpp): what they are for and the input rules. Pure.
namespace b2w::domain {

enum class OtpPurpose {
  verify_phone,    // the signed-in user's phone becomes verified
  login,           // signs in to the account whose verified phone it is
  password_reset,  // a new password for that account
};

std::string_view to_string(OtpPurpose purpose);
std::optional<OtpPurpose> parse_otp_purpose(std::string_view text);

// A Nigerian mobile number in E.164 (+234 and 10 digits): the only numbers codes are sent to.
std::optional<std::string> normalize_nigerian_mobile(std::string_view raw);
// `length` ASCII digits.
bool is_otp_code(std::string_view code, int length);
// For logs: the country code and the last three digits ("+234*******567"); never the whole number.
std::string mask_phone(std::string_view e164);

}  // namespace b2w::domain
