#include "store/google_identities.hpp"

namespace b2w::store {
namespace {

constexpr const char* kColumns = "sub, user_id, email, created_at";

GoogleIdentity from_row(const Row& r) {
  return GoogleIdentity{r.str(0), r.str(1), r.str(2), r.i64(3)};
}

}  // namespace

Awaitable<std::optional<GoogleIdentity>> GoogleIdentityRepository::find(std::string sub) {
  auto result = co_await db_.query(std::string("SELECT ") + kColumns + " FROM google_identities WHERE sub = $1", sub);
  if (result.empty()) co_return std::nullopt;
  co_return from_row(result.rows.front());
}

Awaitable<std::string> GoogleIdentityRepository::link(std::string sub, std::string user_id, std::string email) {
  // Two statements, each on its own: whichever sign-in inserted first owns the link, and the read after the
  // insert (or after the conflict) names that owner on both SQLite and PostgreSQL.
  co_await db_.query(
      "INSERT INTO google_identities (sub, user_id, email, created_at) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (sub) DO NOTHING",
      sub, user_id, email, now_micros());
  auto owner = co_await db_.query("SELECT user_id FROM google_identities WHERE sub = $1", sub);
  co_return owner.one().str(0);
}

Awaitable<std::vector<GoogleIdentity>> GoogleIdentityRepository::for_user(std::string user_id) {
  auto result = co_await db_.query(
      std::string("SELECT ") + kColumns + " FROM google_identities WHERE user_id = $1 ORDER BY created_at, sub",
      user_id);
  std::vector<GoogleIdentity> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(from_row(row));
  co_return out;
}

}  // namespace b2w::store
