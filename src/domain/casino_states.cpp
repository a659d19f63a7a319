#include "domain/casino_states.hpp"

#include <array>

namespace b2w::domain {
namespace {

using S = CasinoTxStatus;
using E = CasinoEvent;
using P = CasinoPosting;

constexpr std::array<CasinoTransition, 4> kDebit{{
    {std::nullopt, E::debit_accepted, S::debited, P::stake},
    {S::debited, E::rollback, S::rolled_back, P::stake_return},
    {std::nullopt, E::rollback_in_advance, S::voided, std::nullopt},
    // A rollback request that is itself a debit (it takes a win back).
    {std::nullopt, E::nothing_to_move, S::noted, std::nullopt},
}};

constexpr std::array<CasinoTransition, 4> kCredit{{
    {std::nullopt, E::credit_accepted, S::credited, P::win},
    {S::credited, E::rollback, S::rolled_back, P::win_return},
    {std::nullopt, E::rollback_in_advance, S::voided, std::nullopt},
    {std::nullopt, E::nothing_to_move, S::noted, std::nullopt},
}};

const CasinoTransitions kDebitTable{kDebit};
const CasinoTransitions kCreditTable{kCredit};

constexpr std::array<std::pair<P, std::string_view>, 4> kPrefixes{{
    {P::stake, "casino-stake"},
    {P::stake_return, "casino-stake-return"},
    {P::win, "casino-win"},
    {P::win_return, "casino-win-return"},
}};

constexpr std::array<std::pair<S, std::string_view>, 5> kStatusNames{{
    {S::debited, "debited"},
    {S::credited, "credited"},
    {S::rolled_back, "rolled_back"},
    {S::voided, "voided"},
    {S::noted, "noted"},
}};

}  // namespace

const CasinoTransitions& casino_transitions(CasinoTxKind kind) {
  return kind == CasinoTxKind::debit ? kDebitTable : kCreditTable;
}

std::string_view to_string(CasinoTxKind kind) {
  return kind == CasinoTxKind::debit ? "debit" : "credit";
}

std::optional<CasinoTxKind> parse_casino_tx_kind(std::string_view text) {
  if (text == "debit") return CasinoTxKind::debit;
  if (text == "credit") return CasinoTxKind::credit;
  return std::nullopt;
}

std::string_view to_string(CasinoTxStatus status) {
  for (const auto& [s, name] : kStatusNames)
    if (s == status) return name;
  return "noted";
}

std::optional<CasinoTxStatus> parse_casino_tx_status(std::string_view text) {
  for (const auto& [s, name] : kStatusNames)
    if (name == text) return s;
  return std::nullopt;
}

std::string_view to_string(CasinoPosting posting) {
  for (const auto& [p, prefix] : kPrefixes)
    if (p == posting) return prefix;
  return "casino-stake";
}

std::string casino_ledger_id(CasinoPosting posting, std::string_view aggregator, std::string_view tid) {
  return std::string(to_string(posting)) + ":" + std::string(aggregator) + ":" + std::string(tid);
}

std::optional<CasinoPosting> parse_casino_ledger_id(std::string_view id) {
  const auto colon = id.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  for (const auto& [p, prefix] : kPrefixes)
    if (id.substr(0, colon) == prefix) return p;
  return std::nullopt;
}

}  // namespace b2w::domain
