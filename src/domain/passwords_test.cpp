#include "domain/passwords.hpp"

#include <gtest/gtest.h>

using namespace b2w::domain;

TEST(Password, LengthIsTwelveToOneHundredTwentyEightCharactersNotBytes) {
  EXPECT_EQ(*password_problem("short-pw-11"), "must be at least 12 characters");
  EXPECT_FALSE(password_problem("quiet-river-7"));
  EXPECT_FALSE(password_problem(std::string(64, 'x') + "y"));
  EXPECT_FALSE(password_problem(std::string(127, 'a') + "b"));
  EXPECT_TRUE(password_problem(std::string(128, 'a') + "b"));
  EXPECT_FALSE(password_problem("₦₦₦₦₦₦₦₦₦₦₦k"));  // 12 characters, 34 bytes
  EXPECT_TRUE(password_problem("₦₦₦₦₦₦₦₦₦₦k"));
}

TEST(Password, NoCompositionRules) {
  // Lower-case letters only, spaces, emoji: all fine when long and uncommon.
  EXPECT_FALSE(password_problem("correct horse battery staple"));
  EXPECT_FALSE(password_problem("zebraquiltmonsoon"));
  EXPECT_FALSE(password_problem("🦁🦁 jollof at noon"));
}

TEST(Password, TheEmbeddedListIsTheZxcvbnList) {
  EXPECT_EQ(kCommonPasswordCount, 30000u);
  EXPECT_EQ(kCommonPasswordList.substr(0, 16), "123456\npassword\n");
}

TEST(Password, CommonPasswordsAreRefused) {
  for (const char* common : {"password", "PASSWORD", "qwertyuiop", "1qaz2wsx", "iloveyou", "trustno1"})
    EXPECT_TRUE(is_common_password(common)) << common;
  // Long enough for the length rule, and still a listed password underneath.
  for (const char* padded : {"password1234", "Password123!", "!!dragon2024!!", "1qaz2wsx1234", "qwertyuiop12",
                             "Sunshine@2024", "  football  99"})
    EXPECT_EQ(password_problem(padded), "is too common (it is on lists of leaked passwords): choose another") << padded;
  EXPECT_FALSE(is_common_password("quiet-river-7"));
  EXPECT_FALSE(is_common_password("dragon-fruit-salad"));
}

TEST(Password, PasswordIsRefusedWhateverTheLength) {
  // The security pass found "password" accepted at registration.
  EXPECT_TRUE(password_problem("password"));
  EXPECT_TRUE(password_problem("password1234"));
}

TEST(Password, RepetitionAndContextAreRefused) {
  EXPECT_EQ(password_problem("aaaaaaaaaaaaaa"), "must not be one character repeated");
  const PasswordContext chidi{"chidi.okafor@example.ng"};
  EXPECT_EQ(password_problem("Chidi.Okafor2024!", chidi), "must not be made from your email address");
  EXPECT_EQ(password_problem("chidiokafor123", chidi), "must not be made from your email address");
  EXPECT_EQ(password_problem("x chidi.okafor@example.ng", chidi), "must not be made from your email address");
  EXPECT_FALSE(password_problem("chidi likes moi moi", chidi)) << "a word of the name inside a phrase is fine";
  EXPECT_EQ(password_problem("Bet2wealth2024!"), "must not be the name of this service");
  EXPECT_FALSE(password_problem("chidiokafor123", {"someone@example.ng"}));
}
