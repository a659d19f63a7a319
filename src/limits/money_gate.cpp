#include "limits/money_gate.hpp"

#include "domain/error.hpp"
#include "limits/player_controls.hpp"

namespace b2w::limits {

using domain::Error;
using domain::ErrorKind;

namespace {

enum class Movement { deposit, stake };

// What the gate's read says about moving `amount`.
GateResult evaluate(const store::PlayerGate& read, domain::Kobo amount, Movement movement, std::int64_t now) {
  GateResult result;
  if (!read.standing) return result;
  result.standing = *read.standing;
  result.day_payouts = read.day_payouts;
  if (auto refusal = domain::refusal_for(*read.standing, now)) {
    result.refusal =
        *refusal == domain::Refusal::self_excluded ? GateRefusal::self_excluded : GateRefusal::date_of_birth_required;
    return result;
  }
  const auto limits = in_force(read.limits, now);
  if (limits.empty()) return result;  // no limits: nothing to count
  result.breach = movement == Movement::deposit ? domain::deposit_breach(limits, read.usage, amount)
                                                : domain::stake_breach(limits, read.usage, amount);
  if (result.breach) result.refusal = GateRefusal::limit_exceeded;
  return result;
}

Awaitable<GateResult> gate(store::Tx& tx, std::string user_id, domain::Kobo amount, Movement movement) {
  const auto now = store::now_micros();
  const auto count = movement == Movement::deposit ? store::GateCount::deposits : store::GateCount::wallet;
  const auto read =
      co_await store::PlayerLimitRepository::lock_gate(tx, user_id, now, count, domain::lagos_day_start(now));
  co_return evaluate(read, amount, movement, now);
}

// Throws the refusal, if any.
void refuse(const GateResult& r) {
  if (!r.refusal) return;
  if (*r.refusal == GateRefusal::limit_exceeded) {
    const auto& b = *r.breach;
    throw Error(ErrorKind::invalid, "limit_exceeded",
                "This would pass your " + std::string(domain::to_string(b.period)) + " " +
                    std::string(domain::to_string(b.kind)) + " limit")
        .detail(boost::json::object{{"kind", domain::to_string(b.kind)},
                                    {"period", domain::to_string(b.period)},
                                    {"limit", b.limit},
                                    {"used", b.used},
                                    {"remaining", std::max<domain::Kobo>(0, b.limit - b.used)}});
  }
  check_standing(r.standing);  // self_excluded (until when) or date_of_birth_required
}

Awaitable<GateResult> enforce(store::Tx& tx, std::string user_id, domain::Kobo amount, Movement movement) {
  const auto result = co_await gate(tx, std::move(user_id), amount, movement);
  refuse(result);
  co_return result;
}

}  // namespace

std::vector<domain::LimitInForce> in_force(const std::vector<store::StoredLimit>& limits, std::int64_t now) {
  std::vector<domain::LimitInForce> out;
  for (const auto& l : limits) {
    const auto setting = domain::settled(l.setting, now);
    if (setting.amount) out.push_back({l.kind, l.period, *setting.amount});
  }
  return out;
}

Awaitable<void> check_deposit(store::Tx& tx, std::string user_id, domain::Kobo amount) {
  co_await enforce(tx, std::move(user_id), amount, Movement::deposit);
}

Awaitable<GateResult> check_stake(store::Tx& tx, std::string user_id, domain::Kobo amount) {
  auto result = co_await enforce(tx, std::move(user_id), amount, Movement::stake);
  co_return result;
}

Awaitable<GateResult> stake_gate(store::Tx& tx, std::string user_id, domain::Kobo amount) {
  auto result = co_await gate(tx, std::move(user_id), amount, Movement::stake);
  co_return result;
}

store::ReadBatch::Later<store::PlayerGate> read_stake_gate(store::ReadBatch& reads, const std::string& user_id,
                                                           std::int64_t now) {
  return store::PlayerLimitRepository::read_gate(reads, user_id, now, store::GateCount::wallet,
                                                 domain::lagos_day_start(now));
}

GateResult check_stake_read(const store::PlayerGate& read, domain::Kobo amount, std::int64_t now) {
  auto result = evaluate(read, amount, Movement::stake, now);
  refuse(result);
  return result;
}

}  // namespace b2w::limits
