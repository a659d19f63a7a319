#include "casino/wallet.hpp"

#include <stdexcept>

#include "limits/money_gate.hpp"

namespace b2w::casino {
namespace {

WalletRefusal wallet_refusal(limits::GateRefusal refusal) {
  switch (refusal) {
    case limits::GateRefusal::self_excluded:
      return WalletRefusal::self_excluded;
    case limits::GateRefusal::date_of_birth_required:
      return WalletRefusal::not_of_age_yet;
    case limits::GateRefusal::limit_exceeded:
      return WalletRefusal::limit_exceeded;
  }
  return WalletRefusal::account_locked;
}

using domain::CasinoEvent;
using domain::CasinoPosting;
using domain::CasinoTxKind;
using domain::CasinoTxStatus;
using store::CasinoRepository;
using store::CasinoTransaction;
using store::Tx;

// A refusal found after the transaction wrote something: thrown, so that all of it rolls back.
class Refused : public std::runtime_error {
 public:
  explicit Refused(WalletRefusal refusal) : std::runtime_error(std::string(to_string(refusal))), refusal_(refusal) {}
  WalletRefusal refusal() const { return refusal_; }

 private:
  WalletRefusal refusal_;
};

CasinoTxKind kind_of(const WalletCall& call) {
  return call.type == CallType::debit ? CasinoTxKind::debit : CasinoTxKind::credit;
}

CasinoTransaction record_of(const WalletCall& call, const std::string& aggregator) {
  CasinoTransaction t;
  t.aggregator = aggregator;
  t.tid = call.tid;
  t.user_id = call.user_id;
  t.kind = kind_of(call);
  t.subtype = call.subtype;
  t.amount = call.amount;
  t.currency = call.currency;
  t.round_id = call.round_id;
  t.action_id = call.action_id;
  t.game = call.game;
  t.rollback_of = call.rollback_of;
  return t;
}

// What a rollback request leaves behind when its original has not arrived: the original's id, voided.
CasinoTransaction voided_original(const CasinoTransaction& rollback) {
  CasinoTransaction t = rollback;
  t.tid = rollback.rollback_of;
  t.kind = rollback.kind == CasinoTxKind::debit ? CasinoTxKind::credit : CasinoTxKind::debit;
  t.rollback_of.clear();
  t.status = CasinoTxStatus::voided;
  return t;
}

bool same_request(const CasinoTransaction& t, const CasinoTransaction& asked) {
  return t.user_id == asked.user_id && t.kind == asked.kind && t.currency == asked.currency &&
         t.amount == asked.amount && t.rollback_of == asked.rollback_of;
}

// A tid seen before: the same request again gets the answer again (nothing moves); anything else is refused.
Awaitable<WalletReply> repeat_of(Tx& tx, const CasinoTransaction& seen, const CasinoTransaction& asked) {
  if (seen.status == CasinoTxStatus::voided) co_return WalletReply{.refusal = WalletRefusal::already_rolled_back};
  if (!same_request(seen, asked)) co_return WalletReply{.refusal = WalletRefusal::parameter_mismatch};
  const auto balance = co_await CasinoRepository::wallet_balance(tx, seen.user_id);
  co_return WalletReply{.balance = balance, .repeat = true};
}

// A claim that lost to a concurrent request with the same tid: that one's row answers.
Awaitable<WalletReply> after_lost_claim(Tx& tx, const CasinoTransaction& asked) {
  const auto seen = co_await CasinoRepository::find(tx, asked.aggregator, asked.tid, false);
  if (!seen) throw std::logic_error("casino transaction " + asked.tid + " was claimed but cannot be read");
  co_return co_await repeat_of(tx, *seen, asked);
}

// Moves `original` by the rollback move its table has from its status, if any (none: reversed already,
// voided, or there was nothing to move), with the posting that returns its amount.
Awaitable<void> reverse(Tx& tx, const CasinoTransaction& original) {
  const auto* move = domain::casino_transitions(original.kind).find(original.status, CasinoEvent::rollback);
  if (!move) co_return;
  co_await CasinoRepository::move(tx, original, original.status, move->to);
  if (move->posting) co_await store::LedgerRepository::post(tx, store::casino_transfer(*move->posting, original));
}

Awaitable<WalletReply> roll_back(Tx& tx, CasinoTransaction request) {
  request.status = CasinoTxStatus::noted;  // its money moves on the original
  if (!co_await CasinoRepository::claim(tx, request)) co_return co_await after_lost_claim(tx, request);
  auto original = co_await CasinoRepository::find(tx, request.aggregator, request.rollback_of, true);
  if (!original) {
    if (co_await CasinoRepository::claim(tx, voided_original(request))) {
      const auto balance = co_await CasinoRepository::wallet_balance(tx, request.user_id);
      co_return WalletReply{.balance = balance};
    }
    original = co_await CasinoRepository::find(tx, request.aggregator, request.rollback_of, true);  // it just came
    if (!original) throw std::logic_error("casino transaction " + request.rollback_of + " vanished");
  }
  if (original->user_id != request.user_id || original->kind == request.kind || !original->rollback_of.empty())
    throw Refused(WalletRefusal::invalid_rollback);
  co_await reverse(tx, *original);
  const auto balance = co_await CasinoRepository::wallet_balance(tx, request.user_id);
  co_return WalletReply{.balance = balance};
}

}  // namespace

std::string_view to_string(WalletRefusal refusal) {
  switch (refusal) {
    case WalletRefusal::unknown_user:
      return "unknown_user";
    case WalletRefusal::currency_mismatch:
      return "currency_mismatch";
    case WalletRefusal::insufficient_funds:
      return "insufficient_funds";
    case WalletRefusal::parameter_mismatch:
      return "parameter_mismatch";
    case WalletRefusal::account_locked:
      return "account_locked";
    case WalletRefusal::self_excluded:
      return "self_excluded";
    case WalletRefusal::not_of_age_yet:
      return "date_of_birth_required";
    case WalletRefusal::limit_exceeded:
      return "limit_exceeded";
    case WalletRefusal::already_rolled_back:
      return "already_rolled_back";
    case WalletRefusal::invalid_rollback:
      return "invalid_rollback";
    case WalletRefusal::amount_too_large:
      return "amount_too_large";
  }
  return "refused";
}

Awaitable<WalletReply> CasinoWallet::handle(WalletCall call) {
  if (call.type == CallType::ping || call.type == CallType::round_info) co_return WalletReply{};
  const std::string user_id = call.user_id;
  if (call.type == CallType::balance || call.currency != domain::kCurrency || call.amount > limits_.max_transaction) {
    const auto balance = co_await repository_.balance_of(user_id);
    WalletReply reply;
    reply.balance = balance;
    if (!balance)
      reply.refusal = WalletRefusal::unknown_user;
    else if (call.currency != domain::kCurrency)
      reply.refusal = WalletRefusal::currency_mismatch;
    else if (call.type != CallType::balance)
      reply.refusal = WalletRefusal::amount_too_large;
    co_return reply;
  }
  std::optional<WalletRefusal> refused;
  // The first attempt of an ordinary debit or credit assumes what nearly every call is: a new tid of a player
  // who may make the move (on PostgreSQL one statement, one round trip: the claim and the posting). When that
  // is not so, it looks first and answers; when a concurrent repeat takes the tid between the look and the
  // claim, the next attempt looks again.
  const bool usual = call.rollback_of.empty() && call.amount > 0;
  for (int attempt = 1;; ++attempt) {
    try {
      if (attempt == 1 && usual) co_return co_await transact_new(call);
      co_return co_await transact(call);
    } catch (const store::InsufficientFunds&) {
      refused = WalletRefusal::insufficient_funds;
    } catch (const Refused& r) {
      refused = r.refusal();
    } catch (const store::UnexpectedRowCount&) {
      if (attempt < 3) continue;
      throw;
    }
    break;
  }
  // Nothing moved; the balance as it is now.
  WalletReply reply;
  reply.refusal = refused;
  reply.balance = co_await repository_.balance_of(user_id);
  co_return reply;
}

Awaitable<WalletReply> CasinoWallet::transact_new(WalletCall call) {
  CasinoTransaction asked = record_of(call, aggregator_);
  const bool debit = asked.kind == CasinoTxKind::debit;
  const auto* move = domain::casino_transitions(asked.kind)
                         .find(std::nullopt, debit ? CasinoEvent::debit_accepted : CasinoEvent::credit_accepted);
  asked.status = move->to;
  std::optional<domain::Kobo> balance;
  bool conflicted = false;
  try {
    balance = co_await repository_.claim_and_post(asked, store::casino_transfer(*move->posting, asked),
                                                  store::wallet_account(asked.user_id));
  } catch (const store::TransientConflict&) {
    conflicted = true;  // a deadlock the server broke: the look-first path runs it again, with retries
  }
  // Not claimed (a repeat, an unknown or locked player) or conflicted: nothing happened; look first.
  if (!balance || conflicted) co_return co_await transact(std::move(call));
  WalletReply reply;
  reply.balance = balance;
  co_return reply;
}

Awaitable<WalletReply> CasinoWallet::transact(WalletCall call) {
  CasinoTransaction asked = record_of(call, aggregator_);
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<WalletReply> {
    // Round trips of a new debit or credit: this look, the posting (with the deferred claim), the commit.
    const auto look = co_await CasinoRepository::lookup(tx, asked.aggregator, asked.tid, asked.user_id);
    if (look.seen) co_return co_await repeat_of(tx, *look.seen, asked);
    if (!look.player) co_return WalletReply{.refusal = WalletRefusal::unknown_user};
    if (!asked.rollback_of.empty()) co_return co_await roll_back(tx, asked);
    const bool debit = asked.kind == CasinoTxKind::debit;
    if (debit && look.player->locked) co_return WalletReply{.refusal = WalletRefusal::account_locked};
    if (debit && asked.amount > 0) {
      // Exclusion, date of birth and limits, with the player's limit rows locked until this commits.
      const auto gate = co_await limits::stake_gate(tx, asked.user_id, asked.amount);
      if (gate.refusal) co_return WalletReply{.refusal = wallet_refusal(*gate.refusal)};
    }
    const CasinoEvent event = asked.amount == 0 ? CasinoEvent::nothing_to_move
                              : debit           ? CasinoEvent::debit_accepted
                                                : CasinoEvent::credit_accepted;
    const auto* move = domain::casino_transitions(asked.kind).find(std::nullopt, event);
    asked.status = move->to;
    co_await CasinoRepository::claim_expecting_none(tx, asked);
    WalletReply reply;
    if (move->posting)
      reply.balance = co_await store::LedgerRepository::post_reporting(
          tx, store::casino_transfer(*move->posting, asked), store::wallet_account(asked.user_id));
    else
      reply.balance = co_await CasinoRepository::wallet_balance(tx, asked.user_id);
    co_return reply;
  });
}

}  // namespace b2w::casino
