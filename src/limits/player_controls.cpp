#include "limits/player_controls.hpp"

#include "domain/error.hpp"
#include "limits/audit_records.hpp"
#include "observability/log.hpp"
#include "util/time.hpp"

namespace b2w::limits {

using domain::Error;
using domain::ErrorKind;

void check_standing(const domain::PlayerStanding& standing) {
  const auto refusal = domain::refusal_for(standing, store::now_micros());
  if (!refusal) return;
  if (*refusal == domain::Refusal::self_excluded) {
    const std::string until = *standing.excluded_until == domain::kExcludedForever
                                  ? std::string("permanently")
                                  : "until " + rfc3339(*standing.excluded_until);
    throw Error(ErrorKind::forbidden, "self_excluded",
                "This account is excluded from deposits and betting " + until + "; withdrawals stay open");
  }
  throw Error(ErrorKind::forbidden, "date_of_birth_required",
              "Add your date of birth (PATCH /users/me) before depositing or betting");
}

std::string PlayerControls::adult_date_of_birth(const std::string& text, std::int64_t now_micros) {
  const auto born = domain::parse_date(text);
  const auto today = domain::lagos_date(now_micros);
  if (!born || born->year > today.year)
    throw Error::validation("The date of birth is not valid").detail("date_of_birth", "a date such as 1990-06-15");
  if (domain::age_on(*born, today) < domain::kMinimumAge)
    throw Error(ErrorKind::invalid, "underage", "You must be 18 or older to play");
  return domain::to_string(*born);
}

Awaitable<store::UserRecord> PlayerControls::set_date_of_birth(domain::Actor player, std::string date_of_birth) {
  const std::string date = adult_date_of_birth(date_of_birth, store::now_micros());
  const std::string user_id = player.id;
  const auto user = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<std::optional<store::UserRecord>> {
    const bool set = co_await store::UserRepository::set_date_of_birth(tx, user_id, date);
    if (!set) co_return std::nullopt;
    auto entry = date_of_birth_record(player, date);
    co_await store::AuditRepository::append(tx, std::move(entry));
    const auto after = co_await store::UserRepository::find_by_id(tx, user_id);
    co_return after;
  });
  if (!user)
    throw Error(ErrorKind::conflict, "date_of_birth_set", "The date of birth is set already; support can correct it");
  co_return *user;
}

Awaitable<store::UserRecord> PlayerControls::exclude(domain::Actor player, domain::ExclusionPeriod period) {
  const auto until = domain::exclusion_end(period, store::now_micros());
  const std::string name(domain::to_string(period));
  const std::string user_id = player.id;
  const auto user = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<std::optional<store::UserRecord>> {
    const auto before = co_await store::UserRepository::find_by_id(tx, user_id);
    if (!before) co_return std::nullopt;
    const auto after = co_await store::UserRepository::extend_exclusion(tx, user_id, until, name);
    if (after && after->excluded_until != before->excluded_until) {
      auto entry = exclusion_record(player, *before, *after);
      co_await store::AuditRepository::append(tx, std::move(entry));
    }
    co_return after;
  });
  if (!user) throw Error::not_found();
  log::info("player excluded")
      .str("user_id", user_id)
      .str("period", name)
      .flag("time_out", domain::is_time_out(period));
  co_return *user;
}

Awaitable<domain::Activity> PlayerControls::activity(std::string user_id, domain::ActivityPeriod period) {
  const auto since = store::now_micros() - domain::period_micros(period);
  const auto sums = co_await ledger_.sums_by_kind(store::wallet_account(user_id), since);
  co_return domain::activity_from(sums);
}

}  // namespace b2w::limits
