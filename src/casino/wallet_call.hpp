#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "domain/money.hpp"

// What an aggregator asks of the seamless wallet and what the wallet answers, in no aggregator's words:
// each adapter (casino/fundist*, later others) turns its wire format into a WalletCall and a WalletReply back.
namespace b2w::casino {

enum class CallType { ping, balance, debit, credit, round_info };

struct WalletCall {
  CallType type = CallType::ping;
  std::string user_id;  // ours (the adapter maps the aggregator's login to it)
  std::string currency;
  domain::Kobo amount = 0;
  std::string tid;          // debit, credit: the aggregator's transaction id, the idempotency key
  std::string subtype;      // as the aggregator names it (debit, cancel, credit, promotion, ...), recorded
  std::string round_id;     // the game round
  std::string action_id;    // the event within the round
  std::string game;         // the aggregator's game description
  std::string rollback_of;  // the tid this request reverses; empty for an ordinary debit or credit
};

// Why the wallet refused a call: nothing moved.
enum class WalletRefusal {
  unknown_user,
  currency_mismatch,
  insufficient_funds,
  parameter_mismatch,   // the tid was used before for another user, type, currency, amount or reversal
  account_locked,       // a debit for a locked player (credits are always taken)
  self_excluded,        // a debit while the player's time-out or self-exclusion runs (credits are always taken)
  not_of_age_yet,       // a debit of a player without a date of birth
  limit_exceeded,       // a debit past the player's stake or loss limit
  already_rolled_back,  // a rollback named this tid before it arrived
  invalid_rollback,     // it names a transaction of the same type, or of another player
  amount_too_large,     // beyond CASINO_MAX_TRANSACTION
};
std::string_view to_string(WalletRefusal refusal);

struct WalletReply {
  std::optional<WalletRefusal> refusal;  // nullopt: done (or done before: a repeat)
  std::optional<domain::Kobo> balance;   // the wallet's balance now; nullopt for ping and an unknown user
  bool repeat = false;                   // the tid was processed before: nothing moved this time
};

}  // namespace b2w::casino
