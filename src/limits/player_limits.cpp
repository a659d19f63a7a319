#include "limits/player_limits.hpp"

#include "domain/error.hpp"
#include "limits/audit_records.hpp"
#include "observability/log.hpp"

namespace b2w::limits {

using domain::LimitKind;
using domain::LimitPeriod;

namespace {

constexpr LimitKind kKinds[] = {LimitKind::deposit, LimitKind::stake, LimitKind::loss};
constexpr LimitPeriod kPeriods[] = {LimitPeriod::day, LimitPeriod::week, LimitPeriod::month};

const store::StoredLimit* find(const std::vector<store::StoredLimit>& limits, LimitKind kind, LimitPeriod period) {
  for (const auto& l : limits)
    if (l.kind == kind && l.period == period) return &l;
  return nullptr;
}

// All nine, settled at `now`.
std::vector<store::StoredLimit> every_limit(const std::vector<store::StoredLimit>& stored, std::int64_t now) {
  std::vector<store::StoredLimit> out;
  for (auto kind : kKinds)
    for (auto period : kPeriods) {
      const auto* found = find(stored, kind, period);
      out.push_back({kind, period, found ? domain::settled(found->setting, now) : domain::LimitSetting{}});
    }
  return out;
}

}  // namespace

Awaitable<std::vector<store::StoredLimit>> PlayerLimits::of(std::string user_id) {
  const auto stored = co_await limits_.for_user(std::move(user_id));
  co_return every_limit(stored, store::now_micros());
}

Awaitable<std::vector<store::StoredLimit>> PlayerLimits::change(domain::Actor player,
                                                                std::vector<LimitRequest> requests) {
  const std::string user_id = player.id;
  for (std::size_t i = 0; i < requests.size(); ++i)
    for (std::size_t j = i + 1; j < requests.size(); ++j)
      if (requests[i].kind == requests[j].kind && requests[i].period == requests[j].period)
        throw domain::Error::validation("Each limit may be named once").detail("limits", "a kind and period twice");
  const auto cooling = std::chrono::duration_cast<std::chrono::microseconds>(cooling_off_).count();
  const auto now = store::now_micros();
  auto after = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<std::vector<store::StoredLimit>> {
    auto stored = co_await store::PlayerLimitRepository::lock(tx, user_id);
    std::vector<store::StoredLimit> before_changes, after_changes;
    for (const auto& r : requests) {
      const auto* found = find(stored, r.kind, r.period);
      const domain::LimitSetting before = found ? found->setting : domain::LimitSetting{};
      const store::StoredLimit next{r.kind, r.period, domain::changed(before, r.amount, now, cooling)};
      if (next.setting == before) continue;
      co_await store::PlayerLimitRepository::save(tx, user_id, next);
      before_changes.push_back({r.kind, r.period, before});
      after_changes.push_back(next);
    }
    if (!after_changes.empty()) {
      auto entry = limits_record(player, user_id, before_changes, after_changes);
      co_await store::AuditRepository::append(tx, std::move(entry));
    }
    auto now_stored = co_await store::PlayerLimitRepository::lock(tx, user_id);
    co_return now_stored;
  });
  log::info("player limits changed").str("user_id", user_id).num("changes", static_cast<std::int64_t>(requests.size()));
  co_return every_limit(after, now);
}

Awaitable<std::vector<store::StoredLimit>> PlayerLimits::lower_by_operator(domain::Actor staff, std::string user_id,
                                                                           std::vector<OperatorChange> changes,
                                                                           std::string reason) {
  const auto now = store::now_micros();
  auto after = co_await store::transaction(db_, [&](store::Tx& tx) -> Awaitable<std::vector<store::StoredLimit>> {
    auto stored = co_await store::PlayerLimitRepository::lock(tx, user_id);
    std::vector<store::StoredLimit> before_changes, after_changes;
    for (const auto& c : changes) {
      const auto* found = find(stored, c.kind, c.period);
      const domain::LimitSetting before = found ? found->setting : domain::LimitSetting{};
      const store::StoredLimit next{c.kind, c.period, domain::lowered_by_operator(before, c.amount, now)};
      if (next.setting == before) continue;
      co_await store::PlayerLimitRepository::save(tx, user_id, next);
      before_changes.push_back({c.kind, c.period, before});
      after_changes.push_back(next);
    }
    if (!after_changes.empty()) {
      auto entry = limits_record(staff, user_id, before_changes, after_changes, reason);
      co_await store::AuditRepository::append(tx, std::move(entry));
    }
    auto now_stored = co_await store::PlayerLimitRepository::lock(tx, user_id);
    co_return now_stored;
  });
  log::info("player limits lowered").str("user_id", user_id).str("by", staff.id);
  co_return every_limit(after, now);
}

}  // namespace b2w::limits
