#include "domain/kyc.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace b2w::domain;

namespace {

using T = KycTier;
using S = IdentityCheckStatus;
using E = IdentityCheckEvent;

TEST(KycTier, EveryCombinationOfProofsAndOverride) {
  const std::optional<T> overrides[] = {std::nullopt, T::registered, T::phone_verified, T::identity_verified};
  for (bool phone : {false, true})
    for (bool identity : {false, true})
      for (auto o : overrides) {
        T expected = identity ? T::identity_verified : phone ? T::phone_verified : T::registered;
        if (o) expected = *o;  // an operator's tier stands, lower or higher than the proofs
        EXPECT_EQ(tier_of(phone, identity, o), expected) << phone << identity << (o ? to_int(*o) : -1);
      }
}

TEST(KycTier, IntegersRoundTripAndOthersAreRefused) {
  for (auto t : kKycTiers) EXPECT_EQ(kyc_tier_from_int(to_int(t)), t);
  EXPECT_EQ(to_int(T::registered), 0);
  EXPECT_EQ(to_int(T::identity_verified), 2);
  for (long long bad : {-1LL, 3LL, 100LL}) EXPECT_FALSE(kyc_tier_from_int(bad));
}

TEST(KycCaps, EachTierHasItsOwnCapsAndDefaultsGrowWithTheTier) {
  KycCaps caps;
  EXPECT_EQ(caps_for(T::registered, caps).max_single, 2'000'000);
  EXPECT_EQ(caps_for(T::phone_verified, caps).daily_count, 5);
  EXPECT_EQ(caps_for(T::identity_verified, caps).daily_amount, 500'000'000);
  for (std::size_t i = 1; i < caps.tiers.size(); ++i) {
    EXPECT_GT(caps.tiers[i].daily_amount, caps.tiers[i - 1].daily_amount);
    EXPECT_GT(caps.tiers[i].daily_count, caps.tiers[i - 1].daily_count);
    EXPECT_GT(caps.tiers[i].max_single, caps.tiers[i - 1].max_single);
  }
  caps.tiers[1].max_single = 7;
  EXPECT_EQ(caps_for(T::phone_verified, caps).max_single, 7);
}

constexpr Kobo kThreshold = 1'000;
const TierCaps kCaps{500, 3, 200};  // ₦5 a day, 3 a day, ₦2 at once

TEST(WithdrawalReview, WithinEveryCapGoesOutAtOnce) {
  EXPECT_FALSE(withdrawal_review_reason(200, {0, 0}, kCaps, kThreshold));
  EXPECT_FALSE(withdrawal_review_reason(1, {499, 2}, kCaps, kThreshold));
  EXPECT_FALSE(withdrawal_review_reason(200, {300, 2}, kCaps, kThreshold));  // exactly the daily amount
}

TEST(WithdrawalReview, EachCapAtItsBoundary) {
  EXPECT_EQ(withdrawal_review_reason(201, {0, 0}, kCaps, kThreshold), ReviewReason::above_tier_single);
  EXPECT_EQ(withdrawal_review_reason(200, {301, 0}, kCaps, kThreshold), ReviewReason::above_tier_daily_amount);
  EXPECT_EQ(withdrawal_review_reason(1, {500, 0}, kCaps, kThreshold), ReviewReason::above_tier_daily_amount);
  EXPECT_EQ(withdrawal_review_reason(1, {0, 3}, kCaps, kThreshold), ReviewReason::above_tier_daily_count);
  EXPECT_FALSE(withdrawal_review_reason(1, {0, 2}, kCaps, kThreshold));
}

TEST(WithdrawalReview, TheGlobalThresholdAppliesToEveryTierFirst) {
  const TierCaps generous{1'000'000, 100, 1'000'000};
  EXPECT_EQ(withdrawal_review_reason(1'001, {0, 0}, generous, kThreshold), ReviewReason::above_review_threshold);
  EXPECT_FALSE(withdrawal_review_reason(1'000, {0, 0}, generous, kThreshold));
  // Every cap broken at once: the first check names it.
  EXPECT_EQ(withdrawal_review_reason(5'000, {5'000, 50}, kCaps, kThreshold), ReviewReason::above_review_threshold);
  EXPECT_EQ(withdrawal_review_reason(900, {5'000, 50}, kCaps, kThreshold), ReviewReason::above_tier_single);
  EXPECT_EQ(withdrawal_review_reason(100, {5'000, 50}, kCaps, kThreshold), ReviewReason::above_tier_daily_amount);
}

TEST(WithdrawalReview, HugeCapsAndAmountsDoNotOverflow) {
  const TierCaps huge{kMaxPosting, 1'000, kMaxPosting};
  EXPECT_FALSE(withdrawal_review_reason(kMaxPosting / 2, {kMaxPosting / 2, 0}, huge, kMaxPosting));
  EXPECT_EQ(withdrawal_review_reason(kMaxPosting / 2, {kMaxPosting / 2 + 1, 0}, huge, kMaxPosting),
            ReviewReason::above_tier_daily_amount);
}

TEST(WithdrawalReview, ReasonsHaveDistinctNames) {
  std::map<std::string_view, int> seen;
  for (auto r :
       {ReviewReason::above_review_threshold, ReviewReason::above_tier_single, ReviewReason::above_tier_daily_amount,
        ReviewReason::above_tier_daily_count, ReviewReason::name_mismatch})
    EXPECT_EQ(++seen[to_string(r)], 1);
  EXPECT_EQ(to_string(ReviewReason::name_mismatch), "name_mismatch");
}

TEST(IdentityCheckStates, EveryStatusAndEvent) {
  const auto& table = identity_check_transitions();
  EXPECT_EQ(table.find(std::nullopt, E::submitted)->to, S::pending);
  EXPECT_FALSE(table.find(std::nullopt, E::succeeded));
  EXPECT_FALSE(table.find(std::nullopt, E::failed));
  // (from, event) -> to, or nothing: the whole table.
  const std::map<std::pair<S, E>, S> expected{{{S::pending, E::succeeded}, S::verified},
                                              {{S::pending, E::failed}, S::failed},
                                              {{S::failed, E::succeeded}, S::verified}};
  for (auto from : {S::pending, S::verified, S::failed})
    for (auto event : {E::submitted, E::succeeded, E::failed}) {
      const auto* move = table.find(from, event);
      const auto it = expected.find({from, event});
      if (it == expected.end()) {
        EXPECT_FALSE(move) << to_string(from) << " " << to_string(event);
      } else {
        ASSERT_TRUE(move) << to_string(from) << " " << to_string(event);
        EXPECT_EQ(move->to, it->second);
      }
    }
}

TEST(IdentityCheckStates, VerifiedIsFinal) {
  for (auto event : {E::submitted, E::succeeded, E::failed})
    EXPECT_FALSE(identity_check_transitions().find(S::verified, event));
}

TEST(IdentityCheckStates, NamesRoundTrip) {
  for (auto s : {S::pending, S::verified, S::failed}) EXPECT_EQ(parse_identity_check_status(to_string(s)), s);
  EXPECT_FALSE(parse_identity_check_status("VERIFIED"));
  EXPECT_FALSE(parse_identity_check_status(""));
}

IdentityDetails good() {
  return {"22222222221", "007", "0111111111", "Uchenna", "Okoro"};
}

std::vector<std::string> faulty_fields(const IdentityDetails& d) {
  std::vector<std::string> out;
  for (const auto& [field, problem] : identity_details_problems(d)) out.push_back(field);
  return out;
}

TEST(IdentityDetails, AGoodSetHasNoProblem) {
  EXPECT_TRUE(identity_details_problems(good()).empty());
}

TEST(IdentityDetails, EachFieldsRule) {
  using V = std::vector<std::string>;
  for (const char* bvn : {"", "2222222222", "222222222211", "2222222222a", "22222 22222"}) {
    auto d = good();
    d.bvn = bvn;
    EXPECT_EQ(faulty_fields(d), V{"bvn"}) << bvn;
  }
  for (const char* account : {"", "011111111", "01111111111", "01111x1111"}) {
    auto d = good();
    d.account_number = account;
    EXPECT_EQ(faulty_fields(d), V{"account_number"}) << account;
  }
  for (const char* bank : {"", "abc", "12345678901", "0 7"}) {
    auto d = good();
    d.bank_code = bank;
    EXPECT_EQ(faulty_fields(d), V{"bank_code"}) << bank;
  }
  auto d = good();
  d.first_name = "";
  d.last_name = "<b>x</b>";
  EXPECT_EQ(faulty_fields(d), (V{"first_name", "last_name"}));
}

TEST(IdentityDetails, ProblemsNeverRepeatTheValue) {
  auto d = good();
  d.bvn = "1234567890";
  for (const auto& [field, problem] : identity_details_problems(d))
    EXPECT_EQ(problem.find("1234567890"), std::string::npos);
}

TEST(LastFour, KeepsOnlyTheLastFourDigits) {
  EXPECT_EQ(last_four("22222222221"), "2221");
  EXPECT_EQ(last_four("0123456789"), "6789");
  EXPECT_EQ(last_four("12"), "12");
}

}  // namespace
