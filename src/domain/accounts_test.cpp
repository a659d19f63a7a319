#include "domain/accounts.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;

TEST(Email, TrimmedLowercasedValidated) {
  EXPECT_EQ(normalize_email("  Ada.Obi@Example.NG "), "ada.obi@example.ng");
  for (const char* bad : {"", "ada", "@example.ng", "ada@", "ada@ng", "a@b@c.ng", "ada obi@example.ng",
                          "ada@.example.ng", "ada@example..ng", "ada@example.ng.", "<ada>@example.ng"})
    EXPECT_FALSE(normalize_email(bad)) << bad;
}

TEST(Phone, NigerianLocalNumbersBecomeE164) {
  EXPECT_EQ(normalize_phone("08031234567"), "+2348031234567");
  EXPECT_EQ(normalize_phone("0813 123 4567"), "+2348131234567");
  EXPECT_EQ(normalize_phone("0703-123-4567"), "+2347031234567");
  EXPECT_EQ(normalize_phone("09012345678"), "+2349012345678");
  EXPECT_EQ(normalize_phone("09112345678"), "+2349112345678");
  EXPECT_EQ(normalize_phone("+234 803 123 4567"), "+2348031234567");
  EXPECT_EQ(normalize_phone("2348031234567"), "+2348031234567");
  EXPECT_EQ(normalize_phone("+44 20 7946 0958"), "+442079460958");
}

TEST(Phone, RejectsNonNumbers) {
  for (const char* bad : {"", "0803123456", "080312345678", "06031234567", "+234803123456", "+0123456789", "phone",
                          "0803123456a", "++2348031234567", "+12"})
    EXPECT_FALSE(normalize_phone(bad)) << bad;
}

TEST(Utf8, LengthInCharactersNotBytes) {
  EXPECT_EQ(utf8_length("naïra"), 5u);
}
