#include "domain/kyc.hpp"

#include <algorithm>

#include "domain/text.hpp"

namespace b2w::domain {
namespace {

using S = IdentityCheckStatus;
using E = IdentityCheckEvent;

constexpr std::array<Transition<S, E, NoPosting>, 4> kIdentityCheck{{
    {std::nullopt, E::submitted, S::pending, std::nullopt},
    {S::pending, E::succeeded, S::verified, std::nullopt},
    {S::pending, E::failed, S::failed, std::nullopt},
    // Paystack validated the customer after we had marked the attempt failed (its answer to our request was
    // lost, or a failure and then a success were delivered out of order): a success is Paystack's last word.
    {S::failed, E::succeeded, S::verified, std::nullopt},
    // Nothing leaves verified: a late or repeated failure never undoes a verification.
}};

const IdentityCheckTransitions kIdentityCheckTable{kIdentityCheck};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int to_int(KycTier tier) {
  return static_cast<int>(tier);
}

std::optional<KycTier> kyc_tier_from_int(long long value) {
  for (auto t : kKycTiers)
    if (to_int(t) == value) return t;
  return std::nullopt;
}

KycTier tier_of(bool phone_verified, bool identity_verified, std::optional<KycTier> override_tier) {
  if (override_tier) return *override_tier;
  if (identity_verified) return KycTier::identity_verified;
  if (phone_verified) return KycTier::phone_verified;
  return KycTier::registered;
}

const TierCaps& caps_for(KycTier tier, const KycCaps& caps) {
  return caps.tiers.at(static_cast<std::size_t>(to_int(tier)));
}

std::string_view to_string(ReviewReason reason) {
  switch (reason) {
    case ReviewReason::above_review_threshold:
      return "above_review_threshold";
    case ReviewReason::above_tier_single:
      return "above_tier_single";
    case ReviewReason::above_tier_daily_amount:
      return "above_tier_daily_amount";
    case ReviewReason::above_tier_daily_count:
      return "above_tier_daily_count";
    case ReviewReason::name_mismatch:
      return "name_mismatch";
  }
  return "unknown";
}

std::optional<ReviewReason> withdrawal_review_reason(Kobo amount, WithdrawalsToday before, const TierCaps& caps,
                                                     Kobo review_threshold) {
  if (amount > review_threshold) return ReviewReason::above_review_threshold;
  if (amount > caps.max_single) return ReviewReason::above_tier_single;
  // Compared as "what is left today" so that no sum can overflow, whatever the configured caps.
  if (before.amount > caps.daily_amount || amount > caps.daily_amount - before.amount)
    return ReviewReason::above_tier_daily_amount;
  if (before.count >= caps.daily_count) return ReviewReason::above_tier_daily_count;
  return std::nullopt;
}

const IdentityCheckTransitions& identity_check_transitions() {
  return kIdentityCheckTable;
}

std::string_view to_string(IdentityCheckStatus status) {
  switch (status) {
    case S::pending:
      return "pending";
    case S::verified:
      return "verified";
    case S::failed:
      return "failed";
  }
  return "unknown";
}

std::optional<IdentityCheckStatus> parse_identity_check_status(std::string_view text) {
  for (auto s : {S::pending, S::verified, S::failed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view to_string(IdentityCheckEvent event) {
  switch (event) {
    case E::submitted:
      return "submitted";
    case E::succeeded:
      return "succeeded";
    case E::failed:
      return "failed";
  }
  return "unknown";
}

std::vector<std::pair<std::string, std::string>> identity_details_problems(const IdentityDetails& d) {
  std::vector<std::pair<std::string, std::string>> problems;
  if (d.bvn.size() != 11 || !all_digits(d.bvn)) problems.emplace_back("bvn", "must be the 11 digits of a BVN");
  if (d.bank_code.empty() || d.bank_code.size() > 10 || !all_digits(d.bank_code))
    problems.emplace_back("bank_code", "must be a bank code of 1 to 10 digits (Paystack's list of banks)");
  if (d.account_number.size() != 10 || !all_digits(d.account_number))
    problems.emplace_back("account_number", "must be the 10 digits of a NUBAN account number");
  if (d.first_name.empty() || display_text_problem(d.first_name, 100))
    problems.emplace_back("first_name", "1 to 100 characters of text, as on the BVN");
  if (d.last_name.empty() || display_text_problem(d.last_name, 100))
    problems.emplace_back("last_name", "1 to 100 characters of text, as on the BVN");
  return problems;
}

std::string last_four(std::string_view digits) {
  return std::string(digits.size() > 4 ? digits.substr(digits.size() - 4) : digits);
}

}  // namespace b2w::domain
