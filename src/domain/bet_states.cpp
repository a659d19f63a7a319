#include "domain/bet_states.hpp"

#include <array>
#include <utility>

namespace b2w::domain {
namespace {

using S = BetStatus;
using E = BetEvent;
using P = BetPosting;

constexpr std::array<Transition<S, E, P>, 7> kBet{{
    {std::nullopt, E::placed, S::open, P::stake},
    {std::nullopt, E::placed_in_play, S::pending, P::stake},
    {S::pending, E::accepted, S::open, std::nullopt},
    {S::pending, E::rejected, S::rejected, P::rejection},
    {S::open, E::won, S::won, P::payout},
    {S::open, E::lost, S::lost, P::loss},
    {S::open, E::voided, S::void_, P::refund},
}};
const BetTransitions kTable{kBet};

constexpr std::array<std::pair<P, std::string_view>, 5> kKinds{{
    {P::stake, "bet_stake"},
    {P::payout, "bet_payout"},
    {P::loss, "bet_lost"},
    {P::refund, "bet_refund"},
    {P::rejection, "bet_rejected"},
}};

}  // namespace

const BetTransitions& bet_transitions() {
  return kTable;
}

BetEvent settling_event(BetStatus status) {
  switch (status) {
    case S::won:
      return E::won;
    case S::lost:
      return E::lost;
    case S::void_:
      return E::voided;
    case S::open:
    case S::pending:
    case S::rejected:
      break;
  }
  return E::placed;  // not a settlement: no move from open has it, so find() refuses it
}

std::string_view ledger_kind(BetPosting posting) {
  for (const auto& [p, kind] : kKinds)
    if (p == posting) return kind;
  return "bet_stake";
}

std::optional<BetPosting> parse_bet_ledger_kind(std::string_view kind) {
  for (const auto& [p, name] : kKinds)
    if (name == kind) return p;
  return std::nullopt;
}

}  // namespace b2w::domain
