#include "players/player_admin.hpp"

#include <boost/json/serialize.hpp>

#include "domain/accounts.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "observability/log.hpp"
#include "store/audit.hpp"

namespace b2w::players {

using domain::Error;

namespace {

std::string checked_reason(const std::string& reason) {
  if (reason.empty() || domain::display_text_problem(reason, 500))
    throw Error::validation("A reason is required").detail("reason", "1 to 500 characters of text");
  return reason;
}

}  // namespace

store::AuditEntry lock_record(const domain::Actor& staff, const std::string& user_id, bool was_locked, bool locked,
                              const std::string& reason) {
  namespace json = boost::json;
  return {staff,
          locked ? "user.lock" : "user.unlock",
          "user",
          user_id,
          json::serialize(json::object{{"locked", was_locked}}),
          json::serialize(json::object{{"locked", locked}, {"reason", reason}})};
}

Awaitable<std::vector<store::UserRecord>> PlayerAdmin::search(std::string query, std::string after, int limit) {
  if (query.empty() || query.size() > 254)
    throw Error::validation("The search is not valid").detail("q", "an id, an email or a phone number");
  // Emails are stored lower-case and phones in E.164: the query is read the same way when it can be.
  std::string normalized = query;
  if (auto phone = domain::normalize_phone(query))
    normalized = *phone;
  else if (query.rfind("usr_", 0) != 0)
    for (auto& c : normalized) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto found = co_await users_.search(std::move(normalized), std::move(after), limit);
  co_return found;
}

Awaitable<PlayerDetail> PlayerAdmin::detail(std::string user_id) {
  auto user = co_await users_.find_by_id(user_id);
  if (!user) throw Error::not_found("No such user");
  PlayerDetail out;
  out.user = std::move(*user);
  out.wallet = co_await ledger_.balances(user_id);
  out.recent = co_await ledger_.history(store::wallet_account(user_id), 20, std::nullopt);
  out.limits = co_await limits_.of(user_id);
  co_return out;
}

Awaitable<store::UserRecord> PlayerAdmin::set_locked(domain::Actor staff, std::string user_id, bool lock,
                                                     std::string reason) {
  const std::string why = checked_reason(reason);
  const auto user = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<std::optional<store::UserRecord>> {
    const auto was_locked = co_await store::UserRepository::set_locked(tx, user_id, lock);
    if (!was_locked) co_return std::nullopt;
    auto entry = lock_record(staff, user_id, *was_locked, lock, why);
    co_await store::AuditRepository::append(tx, std::move(entry));
    const auto after = co_await store::UserRepository::find_by_id(tx, user_id);
    co_return after;
  });
  if (!user) throw Error::not_found("No such user");
  log::info(lock ? "user locked" : "user unlocked").str("user_id", user_id).str("by", staff.id);
  co_return *user;
}

namespace {

boost::json::object tier_json(const store::UserRecord& u) {
  boost::json::object o{{"kyc_tier", domain::to_int(store::kyc_tier(u))}};
  o["kyc_tier_override"] = u.kyc_tier_override ? boost::json::value(*u.kyc_tier_override) : boost::json::value(nullptr);
  return o;
}

}  // namespace

Awaitable<store::UserRecord> PlayerAdmin::set_tier(domain::Actor staff, std::string user_id,
                                                   std::optional<domain::KycTier> tier, std::string reason) {
  const std::string why = checked_reason(reason);
  std::optional<std::int64_t> override_tier;
  if (tier) override_tier = domain::to_int(*tier);
  const auto user = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<std::optional<store::UserRecord>> {
    auto before = co_await store::UserRepository::lock(tx, user_id);
    if (!before || before->kyc_tier_override == override_tier) co_return before;
    co_await store::UserRepository::set_kyc_tier_override(tx, user_id, override_tier);
    auto after = *before;
    after.kyc_tier_override = override_tier;
    auto after_json = tier_json(after);
    after_json["reason"] = why;
    store::AuditEntry entry{staff,
                            "user.tier",
                            "user",
                            user_id,
                            boost::json::serialize(tier_json(*before)),
                            boost::json::serialize(after_json)};
    co_await store::AuditRepository::append(tx, std::move(entry));
    co_return after;
  });
  if (!user) throw Error::not_found("No such user");
  log::info("user KYC tier set")
      .str("user_id", user_id)
      .str("by", staff.id)
      .num("kyc_tier", domain::to_int(store::kyc_tier(*user)));
  co_return *user;
}

Awaitable<std::vector<store::StoredLimit>> PlayerAdmin::lower_limits(domain::Actor staff, std::string user_id,
                                                                     std::vector<OperatorLimit> limits,
                                                                     std::string reason) {
  const std::string why = checked_reason(reason);
  const auto user = co_await users_.find_by_id(user_id);
  if (!user) throw Error::not_found("No such user");
  std::vector<limits::OperatorChange> changes;
  for (const auto& l : limits) changes.push_back({l.kind, l.period, l.amount});
  auto after = co_await limits_.lower_by_operator(staff, user_id, std::move(changes), why);
  co_return after;
}

}  // namespace b2w::players
