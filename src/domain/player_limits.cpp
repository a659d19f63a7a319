#include "domain/player_limits.hpp"

namespace b2w::domain {

std::string_view to_string(LimitKind kind) {
  switch (kind) {
    case LimitKind::deposit:
      return "deposit";
    case LimitKind::stake:
      return "stake";
    case LimitKind::loss:
      return "loss";
  }
  return "deposit";
}

std::optional<LimitKind> parse_limit_kind(std::string_view text) {
  for (auto k : {LimitKind::deposit, LimitKind::stake, LimitKind::loss})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

std::string_view to_string(LimitPeriod period) {
  switch (period) {
    case LimitPeriod::day:
      return "day";
    case LimitPeriod::week:
      return "week";
    case LimitPeriod::month:
      return "month";
  }
  return "day";
}

std::optional<LimitPeriod> parse_limit_period(std::string_view text) {
  for (auto p : {LimitPeriod::day, LimitPeriod::week, LimitPeriod::month})
    if (to_string(p) == text) return p;
  return std::nullopt;
}

std::int64_t window_micros(LimitPeriod period) {
  constexpr std::int64_t kDay = 86'400'000'000;
  return period == LimitPeriod::day ? kDay : period == LimitPeriod::week ? 7 * kDay : 30 * kDay;
}

LimitSetting settled(const LimitSetting& setting, std::int64_t now) {
  if (!setting.pending || now < setting.pending_from) return setting;
  return LimitSetting{.amount = setting.pending_amount};
}

LimitSetting changed(const LimitSetting& setting, std::optional<Kobo> requested, std::int64_t now,
                     std::int64_t cooling_off_micros) {
  const LimitSetting current = settled(setting, now);
  const bool tighter = requested && (!current.amount || *requested < *current.amount);
  if (tighter || requested == current.amount) return LimitSetting{.amount = requested};
  return LimitSetting{
      .amount = current.amount, .pending = true, .pending_amount = requested, .pending_from = now + cooling_off_micros};
}

LimitSetting lowered_by_operator(const LimitSetting& setting, Kobo amount, std::int64_t now) {
  const LimitSetting current = settled(setting, now);
  if (current.amount && *current.amount <= amount) {
    // Not lower: nothing changes but a pending raise above the operator's amount, which is dropped.
    if (current.pending && (!current.pending_amount || *current.pending_amount > amount))
      return LimitSetting{.amount = current.amount};
    return current;
  }
  return LimitSetting{.amount = amount};
}

namespace {

std::size_t index(LimitPeriod period) {
  return static_cast<std::size_t>(period);
}

std::optional<Breach> first_breach(const std::vector<LimitInForce>& limits, LimitKind kind,
                                   const std::array<Kobo, 3>& used, Kobo amount) {
  for (const auto& limit : limits) {
    if (limit.kind != kind) continue;
    const Kobo before = used[index(limit.period)];
    if (before + amount > limit.amount) return Breach{kind, limit.period, limit.amount, before};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Breach> deposit_breach(const std::vector<LimitInForce>& limits, const Usage& usage, Kobo amount) {
  return first_breach(limits, LimitKind::deposit, usage.deposits, amount);
}

std::optional<Breach> stake_breach(const std::vector<LimitInForce>& limits, const Usage& usage, Kobo amount) {
  if (auto breach = first_breach(limits, LimitKind::stake, usage.stakes, amount)) return breach;
  return first_breach(limits, LimitKind::loss, usage.losses, amount);
}

}  // namespace b2w::domain
