#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/money.hpp"

// A player's deposit, stake and loss limits (issue 20). Pure: the rules for changing them and for checking a
// movement against them; services/limits applies them in the movement's transaction.
namespace b2w::domain {

enum class LimitKind { deposit, stake, loss };
// Rolling windows ending now: day = 24 h, week = 7 days, month = 30 days.
enum class LimitPeriod { day, week, month };

std::string_view to_string(LimitKind kind);
std::optional<LimitKind> parse_limit_kind(std::string_view text);
std::string_view to_string(LimitPeriod period);
std::optional<LimitPeriod> parse_limit_period(std::string_view text);
std::int64_t window_micros(LimitPeriod period);

// One limit as stored: the amount in force (none: no limit) and a raise or removal waiting out its cooling-off.
struct LimitSetting {
  std::optional<Kobo> amount;
  bool pending = false;
  std::optional<Kobo> pending_amount;  // with `pending`: the new amount, or none for a removal
  std::int64_t pending_from = 0;       // with `pending`: when it applies (epoch micros)
  friend bool operator==(const LimitSetting&, const LimitSetting&) = default;
};

// The setting as it stands at `now`: a pending change whose time has come is applied.
LimitSetting settled(const LimitSetting& setting, std::int64_t now);
// A player asks for `requested` (none: remove). Lower than what is in force (or a first limit) applies at once
// and cancels a pending change; higher, or a removal, waits `cooling_off`; the same amount cancels a pending change.
LimitSetting changed(const LimitSetting& setting, std::optional<Kobo> requested, std::int64_t now,
                     std::int64_t cooling_off_micros);
// An operator lowers a limit (never raises or removes one): applies at once; a pending raise above it is dropped.
LimitSetting lowered_by_operator(const LimitSetting& setting, Kobo amount, std::int64_t now);

// What a player moved in each window, counted the way the limits count: deposits started (pending ones too),
// stakes (sportsbook and casino, less casino debits rolled back), losses (stakes less returns; at least 0).
struct Usage {
  std::array<Kobo, 3> deposits{};  // by LimitPeriod
  std::array<Kobo, 3> stakes{};
  std::array<Kobo, 3> losses{};
};

struct LimitInForce {
  LimitKind kind;
  LimitPeriod period;
  Kobo amount;
};

struct Breach {
  LimitKind kind;
  LimitPeriod period;
  Kobo limit;
  Kobo used;  // before this movement
};

// The first limit a deposit of `amount` breaks, or nullopt.
std::optional<Breach> deposit_breach(const std::vector<LimitInForce>& limits, const Usage& usage, Kobo amount);
// The first limit a stake of `amount` breaks (a stake limit, or a loss limit if the stake were lost), or nullopt.
std::optional<Breach> stake_breach(const std::vector<LimitInForce>& limits, const Usage& usage, Kobo amount);

}  // namespace b2w::domain
