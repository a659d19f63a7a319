#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/money.hpp"
#include "domain/state_machine.hpp"

// Know-your-customer tiers and what each lets a player take out (issue 20). Pure: the payment service reads
// the tier and the last 24 hours' withdrawals under the user's withdrawal lock and asks these functions
// whether a new withdrawal waits for an administrator.
namespace b2w::domain {

enum class KycTier {
  registered = 0,         // an account, nothing proven
  phone_verified = 1,     // a code sent to the phone came back
  identity_verified = 2,  // the BVN and a bank account in the player's name were validated by Paystack
};

inline constexpr std::array<KycTier, 3> kKycTiers{KycTier::registered, KycTier::phone_verified,
                                                  KycTier::identity_verified};

int to_int(KycTier tier);
std::optional<KycTier> kyc_tier_from_int(long long value);

// The tier that applies: an operator's explicit tier when there is one (it stands until an operator changes
// it, so a later verification never undoes a lowering made for a reason), else the highest proof held.
// Identity without a verified phone is still tier 2: the bank-backed check proves more than a phone does
// (withdrawals may require a verified phone on their own, REQUIRE_VERIFIED_PHONE_FOR_WITHDRAWAL).
KycTier tier_of(bool phone_verified, bool identity_verified, std::optional<KycTier> override_tier);

// What a tier may withdraw without an administrator's review, per rolling 24 hours.
struct TierCaps {
  Kobo daily_amount = 0;  // the sum of the day's withdrawals, this one included
  int daily_count = 0;    // the day's withdrawals, this one included
  Kobo max_single = 0;    // one withdrawal
};

struct KycCaps {
  std::array<TierCaps, 3> tiers{{
      {5'000'000, 3, 2'000'000},       // tier 0: ₦50,000 a day, 3 a day, ₦20,000 at once
      {50'000'000, 5, 20'000'000},     // tier 1: ₦500,000 a day, 5 a day, ₦200,000 at once
      {500'000'000, 10, 500'000'000},  // tier 2: ₦5,000,000 a day, 10 a day, ₦5,000,000 at once
  }};
};

const TierCaps& caps_for(KycTier tier, const KycCaps& caps);

// Why a withdrawal waits for review. The order is the order of the checks; the first that applies is named.
enum class ReviewReason {
  above_review_threshold,   // WITHDRAWAL_REVIEW_THRESHOLD, whatever the tier
  above_tier_single,        // larger than the tier's largest single withdrawal
  above_tier_daily_amount,  // the day's total would pass the tier's daily amount
  above_tier_daily_count,   // one more than the tier's withdrawals per day
  name_mismatch,            // the payout account's resolved name is not the player's (PAYOUT_NAME_MISMATCH=review);
                            // the payment service names it before any cap (domain/name_match.hpp)
};

std::string_view to_string(ReviewReason reason);

// The withdrawals of the last 24 hours before this one that still take money out (not failed, rejected or
// reversed: that money came back).
struct WithdrawalsToday {
  Kobo amount = 0;
  long long count = 0;
};

// nullopt: the withdrawal goes out at once. Never refuses: over a cap, a person decides.
std::optional<ReviewReason> withdrawal_review_reason(Kobo amount, WithdrawalsToday before, const TierCaps& caps,
                                                     Kobo review_threshold);

// Identity checks (BVN validation through Paystack): one row per attempt.
enum class IdentityCheckStatus { pending, verified, failed };
enum class IdentityCheckEvent {
  submitted,  // the player sent their details; Paystack is asked
  succeeded,  // customeridentification.success
  failed,     // customeridentification.failed, or Paystack refused or did not answer the request
};
// No ledger posting: the state machine's posting slot is unused.
enum class NoPosting {};
using IdentityCheckTransitions = TransitionTable<IdentityCheckStatus, IdentityCheckEvent, NoPosting>;
const IdentityCheckTransitions& identity_check_transitions();

std::string_view to_string(IdentityCheckStatus status);
std::optional<IdentityCheckStatus> parse_identity_check_status(std::string_view text);
std::string_view to_string(IdentityCheckEvent event);

// The player's details for a check, as typed.
struct IdentityDetails {
  std::string bvn;             // 11 digits
  std::string bank_code;       // Paystack's bank code: digits
  std::string account_number;  // NUBAN: 10 digits
  std::string first_name;
  std::string last_name;
};

// Each field's problem ({field, problem}), empty when the details may be sent. Problems never repeat a value.
std::vector<std::pair<std::string, std::string>> identity_details_problems(const IdentityDetails& details);

// The last four digits of a number ("5678"), all that is stored or logged of a BVN or an account number.
std::string last_four(std::string_view digits);

}  // namespace b2w::domain
