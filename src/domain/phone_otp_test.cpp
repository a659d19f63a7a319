#include "domain/phone_otp.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;

TEST(OtpPurpose, EveryPurposeRoundTripsAndNothingElseParses) {
  for (auto p : {OtpPurpose::verify_phone, OtpPurpose::login, OtpPurpose::password_reset})
    EXPECT_EQ(parse_otp_purpose(to_string(p)), p);
  for (const char* bad : {"", "LOGIN", "reset", "verify_phone ", "signup"}) EXPECT_FALSE(parse_otp_purpose(bad)) << bad;
}

TEST(OtpPhone, OnlyNigerianMobilesInE164) {
  EXPECT_EQ(normalize_nigerian_mobile("0803 123 4567"), "+2348031234567");
  EXPECT_EQ(normalize_nigerian_mobile("+2347031234567"), "+2347031234567");
  EXPECT_EQ(normalize_nigerian_mobile("2349121234567"), "+2349121234567");
  for (const char* bad : {"+442079460958", "+2341234567890", "+2346031234567", "0803123456", "", "phone"})
    EXPECT_FALSE(normalize_nigerian_mobile(bad)) << bad;
}

TEST(OtpCode, ExactlyTheConfiguredNumberOfDigits) {
  EXPECT_TRUE(is_otp_code("123456", 6));
  EXPECT_TRUE(is_otp_code("0000", 4));
  for (const char* bad : {"12345", "1234567", "12345a", " 12345", "", "１２３４５６"})
    EXPECT_FALSE(is_otp_code(bad, 6)) << bad;
  EXPECT_FALSE(is_otp_code("", 0));
}

TEST(OtpPhone, MaskedForLogsKeepingOnlyTheCountryAndLastThreeDigits) {
  EXPECT_EQ(mask_phone("+2348031234567"), "+234*******567");
  EXPECT_EQ(mask_phone("+442079460958"), "+44*******958");
  EXPECT_EQ(mask_phone("+123"), "****");
}
