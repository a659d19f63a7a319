#pragma once
#include <optional>
#include <string>

#include "domain/kyc.hpp"
#include "payments/paystack.hpp"
#include "payments/webhook_event.hpp"
#include "store/identity_checks.hpp"
#include "store/users.hpp"

// Identity verification for KYC tier 2 (issue 20): the player's BVN and a bank account in their name, validated
// by Paystack's customer validation, whose outcome arrives by webhook. A check moves only through
// domain::identity_check_transitions(); a verified identity is never undone by a late or repeated webhook.
// Only the BVN's last four digits and the bank code are kept; the full numbers go to Paystack and nowhere else
// (not the database, not the logs, not an error). Throws domain::Error.
namespace b2w::identity {

class IdentityVerification {
 public:
  IdentityVerification(store::Database& db, store::UserRepository& users, store::IdentityCheckRepository& checks,
                       payments::PaystackClient& paystack)
      : db_(db), users_(users), checks_(checks), paystack_(paystack) {}

  // Records a pending check and asks Paystack to validate the details: the pending check. 422 validation_error
  // (each faulty field named), 409 identity_verified (nothing more to prove) or identity_check_pending (one is
  // being checked: another attempt only after it failed), 502 identity_provider_error (Paystack refused or did
  // not answer: the check is marked failed, so the player may try again; should Paystack validate it after all,
  // its success webhook still verifies them).
  store::Awaitable<store::IdentityCheck> submit(std::string user_id, domain::IdentityDetails details);
  // The player's newest check, if any.
  store::Awaitable<std::optional<store::IdentityCheck>> latest(std::string user_id);
  // customeridentification.success / .failed (signature checked): moves the newest check made with that
  // customer code, and on success marks the user's identity verified, in one transaction. An unknown customer
  // code, or an event that finds no move (repeated, late, out of order), changes nothing and is logged.
  store::Awaitable<void> apply_outcome(payments::IdentityNotice notice);

 private:
  store::Awaitable<void> mark_failed(std::string check_id, std::string user_id, std::string reason);

  store::Database& db_;
  store::UserRepository& users_;
  store::IdentityCheckRepository& checks_;
  payments::PaystackClient& paystack_;
};

}  // namespace b2w::identity
