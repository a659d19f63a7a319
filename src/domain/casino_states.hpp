#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/state_machine.hpp"

// The casino's seamless wallet: each transaction an aggregator sends (a debit or a credit, named by its
// own id) is an entity with a status, and these are its moves. Pure; the wallet service applies them,
// `ledger verify` checks every casino transaction's postings against them.
namespace b2w::domain {

enum class CasinoTxKind { debit, credit };

enum class CasinoTxStatus {
  debited,      // the stake left the wallet for the casino house
  credited,     // the win left the house for the wallet
  rolled_back,  // the debit or credit was reversed (once)
  voided,       // a rollback named it before it arrived: when it does, it is refused
  noted,        // recorded, nothing to move: a zero credit, or a rollback request (its money moves on the original)
};

enum class CasinoEvent {
  debit_accepted,
  credit_accepted,
  nothing_to_move,     // a zero-amount credit, or a rollback request itself
  rollback,            // a rollback request named this debit or credit
  rollback_in_advance  // a rollback request named a transaction not seen yet
};

// One ledger transaction each, with the id casino_ledger_id() gives.
enum class CasinoPosting {
  stake,         // wallet -> casino house
  stake_return,  // casino house -> wallet: a rolled-back debit
  win,           // casino house -> wallet
  win_return,    // wallet -> casino house: a rolled-back credit
};

using CasinoTransition = Transition<CasinoTxStatus, CasinoEvent, CasinoPosting>;
using CasinoTransitions = TransitionTable<CasinoTxStatus, CasinoEvent, CasinoPosting>;

const CasinoTransitions& casino_transitions(CasinoTxKind kind);

std::string_view to_string(CasinoTxKind kind);
std::optional<CasinoTxKind> parse_casino_tx_kind(std::string_view text);
std::string_view to_string(CasinoTxStatus status);
std::optional<CasinoTxStatus> parse_casino_tx_status(std::string_view text);
std::string_view to_string(CasinoPosting posting);

// "casino-stake:<aggregator>:<tid>": the posting's ledger transaction id, also its idempotency key.
std::string casino_ledger_id(CasinoPosting posting, std::string_view aggregator, std::string_view tid);
// The posting a ledger transaction id names; nullopt for other ids.
std::optional<CasinoPosting> parse_casino_ledger_id(std::string_view id);

}  // namespace b2w::domain
