#include "store/users.hpp"

#include "store/ledger.hpp"
#include "util/ids.hpp"

namespace b2w::store {
namespace {

constexpr const char* kColumns =
    "id, email, password_hash, full_name, phone, role, created_at, updated_at, token_version, locked_at,"
    " email_verified_at, phone_verified_at, date_of_birth, excluded_until, exclusion_period, identity_verified_at,"
    " kyc_tier_override";

UserRecord from_row(const Row& r) {
  return UserRecord{r.str(0),      r.str(1),      r.str(2),      r.opt_str(3),  r.opt_str(4),  r.str(5),
                    r.i64(6),      r.i64(7),      r.i64(8),      r.opt_i64(9),  r.opt_i64(10), r.opt_i64(11),
                    r.opt_str(12), r.opt_i64(13), r.opt_str(14), r.opt_i64(15), r.opt_i64(16)};
}

}  // namespace

domain::KycTier kyc_tier(const UserRecord& user) {
  std::optional<domain::KycTier> set_by_operator;
  if (user.kyc_tier_override) set_by_operator = domain::kyc_tier_from_int(*user.kyc_tier_override);
  return domain::tier_of(user.phone_verified_at.has_value(), user.identity_verified_at.has_value(), set_by_operator);
}

Awaitable<UserRecord> UserRepository::create(std::string email, std::string password_hash,
                                             std::optional<std::string> full_name, std::optional<std::string> phone,
                                             std::string role, AlsoInTransaction also) {
  UserRecord user{new_id("usr"),
                  std::move(email),
                  std::move(password_hash),
                  std::move(full_name),
                  std::move(phone),
                  std::move(role),
                  now_micros(),
                  0,
                  0,
                  std::nullopt,
                  std::nullopt,
                  std::nullopt,
                  std::nullopt,
                  std::nullopt,
                  std::nullopt,
                  std::nullopt,
                  std::nullopt};
  user.updated_at = user.created_at;
  try {
    // The user and their ledger accounts exist together or not at all.
    co_await transaction(db_, [&](Tx& tx) -> Awaitable<void> {
      co_await tx.exec(
          "INSERT INTO users (id, email, password_hash, full_name, phone, role, created_at, updated_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          user.id, user.email, user.password_hash, user.full_name, user.phone, user.role, user.created_at,
          user.updated_at);
      co_await LedgerRepository::open_user_accounts(tx, user.id);
      if (also) co_await also(tx, user);
    });
  } catch (const ConstraintViolation& e) {
    if (e.constraint().find("email") != std::string::npos) throw EmailTaken();
    throw;
  }
  co_return user;
}

Awaitable<std::optional<UserRecord>> UserRepository::find_by_email(std::string email) {
  auto result = co_await db_.query(std::string("SELECT ") + kColumns + " FROM users WHERE email = $1", email);
  if (result.empty()) co_return std::nullopt;
  co_return from_row(result.rows.front());
}

Awaitable<std::optional<UserRecord>> UserRepository::find_by_id(std::string id) {
  auto result = co_await db_.query(std::string("SELECT ") + kColumns + " FROM users WHERE id = $1", id);
  if (result.empty()) co_return std::nullopt;
  co_return from_row(result.rows.front());
}

Awaitable<std::optional<UserRecord>> UserRepository::find_by_verified_phone(std::string phone) {
  auto result = co_await db_.query(
      std::string("SELECT ") + kColumns + " FROM users WHERE phone = $1 AND phone_verified_at IS NOT NULL", phone);
  if (result.empty()) co_return std::nullopt;
  co_return from_row(result.rows.front());
}

Awaitable<std::optional<std::pair<UserRecord, bool>>> UserRepository::find_with_google_link(std::string id) {
  auto result = co_await db_.query(std::string("SELECT ") + kColumns +
                                       ", (SELECT COUNT(*) FROM google_identities g WHERE g.user_id = users.id)"
                                       " FROM users WHERE id = $1",
                                   id);
  if (result.empty()) co_return std::nullopt;
  const auto& row = result.rows.front();
  co_return std::make_pair(from_row(row), row.i64(17) > 0);
}

Awaitable<std::optional<UserAccess>> UserRepository::find_access(std::string id) {
  auto result = co_await db_.query("SELECT role, token_version FROM users WHERE id = $1", id);
  if (result.empty()) co_return std::nullopt;
  co_return UserAccess{result.rows.front().str(0), result.rows.front().i64(1)};
}

Awaitable<std::vector<UserRecord>> UserRepository::list_staff() {
  auto result =
      co_await db_.query(std::string("SELECT ") + kColumns + " FROM users WHERE role <> 'user' ORDER BY role, email");
  std::vector<UserRecord> staff;
  staff.reserve(result.rows.size());
  for (const auto& row : result.rows) staff.push_back(from_row(row));
  co_return staff;
}

Awaitable<bool> UserRepository::set_role(std::string id, std::string role) {
  auto result =
      co_await db_.query("UPDATE users SET role = $1, token_version = token_version + 1, updated_at = $2 WHERE id = $3",
                         role, now_micros(), id);
  co_return result.affected == 1;
}

namespace {
const char* lock_statement(bool locked) {
  return locked ? "UPDATE users SET locked_at = COALESCE(locked_at, $1), token_version = token_version + 1,"
                  " updated_at = $1 WHERE id = $2"
                : "UPDATE users SET locked_at = NULL, updated_at = $1 WHERE id = $2";
}
}  // namespace

Awaitable<std::optional<bool>> UserRepository::set_locked(Tx& tx, std::string id, bool locked) {
  const auto found = co_await tx.exec("SELECT locked_at FROM users WHERE id = $1 FOR UPDATE", id);
  if (found.empty()) co_return std::nullopt;
  const bool was_locked = !found.one().is_null(0);
  co_await tx.defer_expecting(1, lock_statement(locked), values_of(now_micros(), id));
  co_return was_locked;
}

Awaitable<std::optional<UserRecord>> UserRepository::lock(Tx& tx, std::string id) {
  const auto rows =
      co_await tx.exec(std::string("SELECT ") + kColumns + " FROM users WHERE id = $1 FOR UPDATE", std::move(id));
  if (rows.empty()) co_return std::nullopt;
  co_return from_row(rows.rows.front());
}

Awaitable<void> UserRepository::set_kyc_tier_override(Tx& tx, std::string id, std::optional<std::int64_t> tier) {
  co_await tx.defer_expecting(1,
                              "UPDATE users SET kyc_tier_override = CAST($1 AS INTEGER), updated_at = $2 WHERE id = $3",
                              values_of(tier, now_micros(), std::move(id)));
}

Awaitable<void> UserRepository::mark_identity_verified(Tx& tx, std::string id) {
  co_await tx.defer_exec(
      "UPDATE users SET identity_verified_at = COALESCE(identity_verified_at, CAST($1 AS BIGINT)),"
      " updated_at = CAST($1 AS BIGINT)"
      " WHERE id = $2",
      now_micros(), std::move(id));
}

Awaitable<bool> UserRepository::revoke_tokens(std::string id) {
  auto result = co_await db_.query("UPDATE users SET token_version = token_version + 1, updated_at = $1 WHERE id = $2",
                                   now_micros(), id);
  co_return result.affected == 1;
}

Awaitable<void> UserRepository::mark_email_verified(Tx& tx, std::string id) {
  co_await tx.defer_exec(
      "UPDATE users SET email_verified_at = COALESCE(email_verified_at, CAST($1 AS BIGINT)) WHERE id = $2",
      now_micros(), std::move(id));
}

Awaitable<void> UserRepository::set_verified_phone(Tx& tx, std::string id, std::string phone) {
  try {
    co_await tx.exec(
        "UPDATE users SET phone_verified_at = CASE WHEN phone = $1 AND phone_verified_at IS NOT NULL"
        " THEN phone_verified_at ELSE CAST($2 AS BIGINT) END, phone = $1, updated_at = CAST($2 AS BIGINT)"
        " WHERE id = $3",
        std::move(phone), now_micros(), std::move(id));
  } catch (const ConstraintViolation& e) {
    if (e.constraint().find("phone") != std::string::npos) throw PhoneTaken();
    throw;
  }
}

Awaitable<bool> UserRepository::set_date_of_birth(Tx& tx, std::string id, std::string date_of_birth) {
  const auto result = co_await tx.exec(
      "UPDATE users SET date_of_birth = $1, updated_at = CAST($2 AS BIGINT) WHERE id = $3 AND date_of_birth IS NULL",
      std::move(date_of_birth), now_micros(), std::move(id));
  co_return result.affected == 1;
}

Awaitable<std::optional<UserRecord>> UserRepository::extend_exclusion(Tx& tx, std::string id, std::int64_t until,
                                                                      std::string period) {
  co_await tx.exec(
      "UPDATE users SET excluded_until = CAST($1 AS BIGINT), exclusion_period = $2, updated_at = CAST($3 AS BIGINT)"
      " WHERE id = $4 AND (excluded_until IS NULL OR excluded_until < CAST($1 AS BIGINT))",
      until, std::move(period), now_micros(), id);
  auto user = co_await find_by_id(tx, std::move(id));
  co_return user;
}

Awaitable<std::optional<UserRecord>> UserRepository::find_by_id(Tx& tx, std::string id) {
  const auto rows = co_await tx.exec(std::string("SELECT ") + kColumns + " FROM users WHERE id = $1", std::move(id));
  if (rows.empty()) co_return std::nullopt;
  co_return from_row(rows.rows.front());
}

Awaitable<void> UserRepository::set_password(Tx& tx, std::string id, std::string password_hash) {
  co_await tx.defer_expecting(1,
                              "UPDATE users SET password_hash = $1, token_version = token_version + 1, updated_at = $2"
                              " WHERE id = $3",
                              values_of(std::move(password_hash), now_micros(), std::move(id)));
}

Awaitable<std::vector<UserRecord>> UserRepository::search(std::string query, std::string after_id, int limit) {
  // LIKE's own wildcards in the query match themselves.
  std::string prefix;
  for (char c : query) {
    if (c == '%' || c == '_' || c == '\\') prefix += '\\';
    prefix += c;
  }
  prefix += '%';
  const auto rows = co_await db_.query(std::string("SELECT ") + kColumns +
                                           " FROM users WHERE (id = $1 OR email LIKE $2 ESCAPE '\\' OR phone LIKE $2"
                                           " ESCAPE '\\') AND id > $3 ORDER BY id LIMIT CAST($4 AS INTEGER)",
                                       query, prefix, std::move(after_id), limit);
  std::vector<UserRecord> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(from_row(r));
  co_return out;
}

}  // namespace b2w::store
