#pragma once
#include <string>

#include "casino/wallet_call.hpp"
#include "store/casino.hpp"
#include "store/db/database.hpp"

namespace b2w::casino {

template <typename T>
using Awaitable = store::Awaitable<T>;

struct WalletLimits {
  domain::Kobo max_transaction = 0;  // a debit or credit above it is refused
};

// The seamless wallet of one aggregator: every debit and credit is one SQL transaction that records it by the
// aggregator's id and moves the money in the ledger (domain/casino_states says which moves exist), so a
// repeat, concurrent or late, changes nothing and gets the same answer with the balance as it is now
// (Fundist: "balance field must contain current value").
//
// Rollbacks (rollback_of): a credit reverses the debit it names, a debit the credit it names, exactly once
// and for the original's amount; a rollback of a transaction not seen yet is acknowledged and remembered
// (voided), so that the late original is refused; a rollback of a rollback, or of the same type, is refused.
class CasinoWallet {
 public:
  CasinoWallet(store::Database& db, std::string aggregator, WalletLimits limits)
      : db_(db), repository_(db), aggregator_(std::move(aggregator)), limits_(limits) {}

  Awaitable<WalletReply> handle(WalletCall call);
  const std::string& aggregator() const { return aggregator_; }

 private:
  Awaitable<WalletReply> transact(WalletCall call);
  Awaitable<WalletReply> transact_new(WalletCall call);

  store::Database& db_;
  store::CasinoRepository repository_;
  std::string aggregator_;
  WalletLimits limits_;
};

}  // namespace b2w::casino
