#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "domain/kyc.hpp"
#include "domain/player_controls.hpp"
#include "store/db/database.hpp"

namespace b2w::store {

struct UserRecord {
  std::string id;
  std::string email;
  std::string password_hash;
  std::optional<std::string> full_name;
  std::optional<std::string> phone;
  std::string role;             // a domain::Role's name: "user", or a staff role (domain/roles.hpp)
  std::int64_t created_at = 0;  // epoch microseconds
  std::int64_t updated_at = 0;
  std::int64_t token_version = 0;         // tokens carrying an older one are revoked
  std::optional<std::int64_t> locked_at;  // set: locked by an administrator (bet2wealth admin lock)
  std::optional<std::int64_t> email_verified_at;
  std::optional<std::int64_t> phone_verified_at;     // set: `phone` was verified by a code sent to it
  std::optional<std::string> date_of_birth;          // YYYY-MM-DD
  std::optional<std::int64_t> excluded_until;        // a time-out or self-exclusion runs until then
  std::optional<std::string> exclusion_period;       // its period ("24h" ... "permanent")
  std::optional<std::int64_t> identity_verified_at;  // set: Paystack validated the BVN and bank account (KYC)
  std::optional<std::int64_t> kyc_tier_override;     // an operator's explicit KYC tier (0 to 2), else computed
};

// The KYC tier the user's proofs and any operator's tier give (domain::tier_of).
domain::KycTier kyc_tier(const UserRecord& user);

// What authorization needs of a user on every money or admin request (one primary-key read).
struct UserAccess {
  std::string role;
  std::int64_t token_version = 0;
};

class EmailTaken : public std::runtime_error {
 public:
  EmailTaken() : std::runtime_error("email already registered") {}
};

class PhoneTaken : public std::runtime_error {
 public:
  PhoneTaken() : std::runtime_error("phone verified by another account") {}
};

class UserRepository {
 public:
  explicit UserRepository(Database& db) : db_(db) {}
  Database& database() { return db_; }

  // Inserts a new user (id and times are set here) and their ledger accounts, and runs `also` (mail to send,
  // say) in the same transaction; throws EmailTaken.
  using AlsoInTransaction = std::function<Awaitable<void>(Tx&, const UserRecord&)>;
  Awaitable<UserRecord> create(std::string email, std::string password_hash, std::optional<std::string> full_name,
                               std::optional<std::string> phone, std::string role = "user",
                               AlsoInTransaction also = nullptr);
  Awaitable<std::optional<UserRecord>> find_by_email(std::string email);
  Awaitable<std::optional<UserRecord>> find_by_id(std::string id);
  // The account whose verified phone this is (E.164); at most one has it.
  Awaitable<std::optional<UserRecord>> find_by_verified_phone(std::string phone);
  // find_by_id and whether a Google account is linked to the user (GET /users/me's sign-in methods).
  Awaitable<std::optional<std::pair<UserRecord, bool>>> find_with_google_link(std::string id);
  Awaitable<std::optional<UserAccess>> find_access(std::string id);
  // Every account whose role is not `user`, by role then email (staff are few: one page).
  Awaitable<std::vector<UserRecord>> list_staff();
  // True when the user exists (and now has `role`). A role change also revokes every token
  // issued before it, as revoke_tokens does, in the same statement.
  Awaitable<bool> set_role(std::string id, std::string role);
  // Ends every access and refresh token issued to the user so far (raises token_version). The one
  // place this happens: logout of all sessions, a reused refresh token, and later a password reset
  // or an account lock call it. False when there is no such user.
  Awaitable<bool> revoke_tokens(std::string id);
  // The user's email is verified (the first time only: the first moment stays).
  static Awaitable<void> mark_email_verified(Tx& tx, std::string id);
  // `phone` becomes the user's verified phone (the first moment stays when it was verified already). Throws
  // PhoneTaken when another account has it verified; the caller's transaction is then rolled back.
  static Awaitable<void> set_verified_phone(Tx& tx, std::string id, std::string phone);
  // The date of birth, once: false when the user has one already (or does not exist).
  static Awaitable<bool> set_date_of_birth(Tx& tx, std::string id, std::string date_of_birth);
  // A time-out or self-exclusion until `until`, unless one running already ends later (it is never shortened).
  // The user as it is after.
  static Awaitable<std::optional<UserRecord>> extend_exclusion(Tx& tx, std::string id, std::int64_t until,
                                                               std::string period);
  // The back office's player search: by id (exact), email or phone (prefix, as normalized), else the email's
  // prefix; in id order after `after_id`, at most `limit`.
  Awaitable<std::vector<UserRecord>> search(std::string query, std::string after_id, int limit);
  // find_by_id inside the caller's transaction.
  static Awaitable<std::optional<UserRecord>> find_by_id(Tx& tx, std::string id);
  // A new password hash; every token issued so far ends with it (as revoke_tokens). In the caller's transaction.
  static Awaitable<void> set_password(Tx& tx, std::string id, std::string password_hash);
  // Locks (no sign-in, the casino refuses the player's stakes, their tokens end) or unlocks the user in the
  // caller's transaction, beside its audit record (players::PlayerAdmin, the CLI); the user's row is locked first.
  // Whether the user was locked before, or nullopt when there is no such user.
  static Awaitable<std::optional<bool>> set_locked(Tx& tx, std::string id, bool locked);
  // The user's row, locked for the rest of the caller's transaction; nullopt when there is no such user.
  static Awaitable<std::optional<UserRecord>> lock(Tx& tx, std::string id);
  // An operator's explicit KYC tier, or none (the tier follows the proofs again), in the caller's transaction.
  static Awaitable<void> set_kyc_tier_override(Tx& tx, std::string id, std::optional<std::int64_t> tier);
  // The user's identity is verified (the first moment stays).
  static Awaitable<void> mark_identity_verified(Tx& tx, std::string id);

 private:
  Database& db_;
};

}  // namespace b2w::store
