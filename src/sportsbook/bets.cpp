#include "sportsbook/bets.hpp"

#include <boost/json/object.hpp>
#include <set>
#include <unordered_map>

#include "domain/error.hpp"
#include "domain/live_betting.hpp"
#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"
#include "limits/money_gate.hpp"
#include "observability/metrics.hpp"
#include "store/bet_postings.hpp"
#include "store/catalog.hpp"
#include "store/ledger.hpp"
#include "util/ids.hpp"

namespace b2w::sportsbook {

using domain::Error;
using domain::ErrorKind;
using store::Tx;

namespace {

using store::Offers;

std::string leg_field(std::size_t i, const char* name) {
  return "legs[" + std::to_string(i) + "]." + name;
}

Error conflicting_legs() {
  return Error(ErrorKind::invalid, "conflicting_legs", "A bet can have only one leg per event");
}

// The checks that need no database: stake limits, the number of legs, one leg per selection.
void check_slip(const BetSlip& slip, const BettingLimits& limits) {
  if (slip.stake < limits.min_stake || slip.stake > limits.max_stake)
    throw Error(ErrorKind::invalid, "stake_out_of_range",
                "The stake must be from " + std::to_string(limits.min_stake) + " to " +
                    std::to_string(limits.max_stake) + " kobo")
        .detail("stake",
                "must be from " + std::to_string(limits.min_stake) + " to " + std::to_string(limits.max_stake));
  if (slip.legs.empty() || static_cast<int>(slip.legs.size()) > limits.max_legs)
    throw Error::validation().detail("legs", "must have 1 to " + std::to_string(limits.max_legs) + " legs");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < slip.legs.size(); ++i)
    if (!seen.insert(slip.legs[i].first).second)
      throw conflicting_legs().detail(leg_field(i, "selection_id"), "repeats a selection already on the slip");
}

std::vector<std::string> selection_ids(const BetSlip& slip) {
  std::vector<std::string> ids;
  for (const auto& leg : slip.legs) ids.push_back(leg.first);
  return ids;
}

// Every selection on the slip exists; 422 naming each one that does not.
void check_selections_exist(const BetSlip& slip, const Offers& offers) {
  auto unknown = Error(ErrorKind::invalid, "selection_not_found", "A selection on the slip does not exist");
  bool any_unknown = false;
  for (std::size_t i = 0; i < slip.legs.size(); ++i)
    if (!offers.count(slip.legs[i].first)) {
      unknown.detail(leg_field(i, "selection_id"), "no such selection");
      any_unknown = true;
    }
  if (any_unknown) throw unknown;
}

void check_one_leg_per_event(const BetSlip& slip, const Offers& offers) {
  std::set<std::string> events;
  for (std::size_t i = 0; i < slip.legs.size(); ++i)
    if (!events.insert(offers.at(slip.legs[i].first).event_id).second)
      throw conflicting_legs().detail(leg_field(i, "selection_id"), "is on an event already on the slip");
}

// Before kick-off, or in play: a live market of a live event (the feed marks them).
bool takes_bets(const store::Offer& offer, std::int64_t now) {
  if (offer.event_status == domain::EventStatus::live) return offer.live;
  return offer.event_status == domain::EventStatus::scheduled && offer.starts_at > now;
}

// A market takes bets while it is open and its event scheduled and not started, or both live.
void check_markets_take_bets(const BetSlip& slip, const Offers& offers, std::int64_t now) {
  for (std::size_t i = 0; i < slip.legs.size(); ++i) {
    const auto& offer = offers.at(slip.legs[i].first);
    if (offer.market_status == domain::MarketStatus::suspended)
      throw Error(ErrorKind::conflict, "market_suspended", "A market on the slip is suspended; try again shortly")
          .detail(leg_field(i, "selection_id"), "its market is suspended");
    if (offer.market_status != domain::MarketStatus::open || !takes_bets(offer, now))
      throw Error(ErrorKind::conflict, "market_closed", "A market on the slip no longer takes bets")
          .detail(leg_field(i, "selection_id"), "its market is closed");
  }
}

// The legs at the odds the bettor's policy accepts; 409 with the current odds of every leg that moved.
std::vector<BetLeg> accept_odds(const BetSlip& slip, const Offers& offers) {
  std::vector<BetLeg> legs;
  auto moved = Error(ErrorKind::conflict, "odds_changed", "The odds changed; the current odds are in details");
  bool any_moved = false;
  for (std::size_t i = 0; i < slip.legs.size(); ++i) {
    const auto& [selection_id, requested] = slip.legs[i];
    const auto& offer = offers.at(selection_id);
    const auto taken = domain::accepted_odds(requested, offer.odds, slip.odds_change);
    if (!taken) {
      boost::json::object detail;
      detail["field"] = leg_field(i, "odds");
      detail["problem"] = "the odds are now " + domain::format_odds(offer.odds);
      detail["selection_id"] = selection_id;
      detail["odds"] = domain::format_odds(offer.odds);
      moved.detail(std::move(detail));
      any_moved = true;
      continue;
    }
    legs.push_back(BetLeg{selection_id, offer.market_id, offer.event_id, *taken, domain::LegResult::open});
  }
  if (any_moved) throw moved;
  return legs;
}

// The open bet on these legs; 422 when its potential payout is above the maximum.
// The day's cap on what one player's bets may pay out, counted at placement (the day's open and won bets, read
// under the player's lock by the money gate), so a winning run cannot pass it whatever settles when.
void check_day_payout(domain::Kobo day_payouts, domain::Kobo potential_payout, domain::Kobo cap) {
  if (domain::fits_day_payout_cap(day_payouts, potential_payout, cap)) return;
  throw Error(ErrorKind::invalid, "payout_cap_exceeded",
              "Your bets of today could then pay out more than the daily maximum of " + std::to_string(cap) + " kobo")
      .detail(boost::json::object{
          {"cap", cap}, {"committed", day_payouts}, {"remaining", std::max<domain::Kobo>(0, cap - day_payouts)}});
}

Bet open_bet(std::string bet_id, const std::string& user_id, const BetSlip& slip, std::vector<BetLeg> legs,
             domain::Kobo max_payout, std::int64_t now) {
  std::vector<domain::Odds> odds;
  for (const auto& l : legs) odds.push_back(l.odds);
  const auto potential = domain::payout(slip.stake, odds, max_payout);
  if (!potential)
    throw Error(ErrorKind::invalid, "payout_too_high",
                "The potential payout is above the maximum of " + std::to_string(max_payout) + " kobo");
  Bet bet;
  bet.id = std::move(bet_id);
  bet.user_id = user_id;
  bet.status = domain::BetStatus::open;
  bet.stake = slip.stake;
  bet.total_odds = domain::product_text(odds);
  bet.potential_payout = *potential;
  bet.created_at = now;
  bet.legs = std::move(legs);
  return bet;
}

// The stake moves from the wallet to bets in play; 422 when the balance does not cover it.
Awaitable<void> take_stake(Tx& tx, const std::vector<store::LedgerTransfer>& stake, const store::PostLocks& locks) {
  bool broke = false;
  try {
    co_await store::LedgerRepository::post_locked(tx, stake, locks);
  } catch (const store::InsufficientFunds&) {
    broke = true;
  }
  if (broke) throw Error(ErrorKind::invalid, "insufficient_funds", "The wallet balance does not cover the stake");
}

// The sports of the slip's in-play legs (none: a prematch bet, open at once).
std::vector<std::string> live_leg_sports(const BetSlip& slip, const Offers& offers) {
  std::vector<std::string> sports;
  for (const auto& leg : slip.legs)
    if (const auto& offer = offers.at(leg.first); offer.event_status == domain::EventStatus::live && offer.live)
      sports.push_back(offer.sport);
  return sports;
}

}  // namespace

Awaitable<Placed> Bets::place(std::string user_id, BetSlip slip, std::string key, std::string request_hash) {
  check_slip(slip, limits_);
  std::exception_ptr refused;
  try {
    auto bet = co_await place_in_transaction(user_id, slip, key, request_hash);
    // Counted once its transaction has committed (a refused or rolled-back bet never is; a replay is not new).
    metrics::add(metrics::Counter::bets_placed);
    metrics::add(metrics::Counter::bets_placed_stake, bet.stake);
    if (changes_) co_await changes_->bet_placed(bet);
    co_return Placed{std::move(bet), false};
  } catch (const store::ConstraintViolation& e) {
    // A concurrent request with the same key committed first.
    if (e.constraint().find("idempotency_key") == std::string::npos) throw;
    refused = std::current_exception();
  } catch (const Error&) {
    // A retry of a bet that was placed must get the bet back, even if it would be refused now.
    refused = std::current_exception();
  }
  auto earlier = co_await replay(user_id, key, request_hash);
  if (earlier) co_return std::move(*earlier);
  std::rethrow_exception(refused);
}

Awaitable<Bet> Bets::place_in_transaction(const std::string& user_id, const BetSlip& slip, const std::string& key,
                                          const std::string& request_hash) {
  co_return co_await store::transaction(db_, [&](Tx& tx) -> Awaitable<Bet> {
    const auto now = store::now_micros();
    auto bet_id = new_id("bet");
    std::vector<store::LedgerTransfer> stake;
    stake.push_back(store::bet_stake_transfer(bet_id, user_id, slip.stake));
    // Every read in one round trip (with the BEGIN), in the order the locks are always taken: the player
    // (standing, limits, the day's payouts), the markets (shared), the stake's accounts. The checks
    // then run in their own order on what was read; a refusal rolls it all back.
    store::ReadBatch reads(tx.dialect());
    const auto gate_read = limits::read_stake_gate(reads, user_id, now);
    const auto offers_read = store::CatalogRepository::read_offers(reads, selection_ids(slip));
    const auto stake_locks = store::LedgerRepository::lock_for_post(reads, stake);
    co_await reads.run(tx);
    const auto gate = limits::check_stake_read(*gate_read, slip.stake, now);
    const auto& offers = *offers_read;
    check_selections_exist(slip, offers);
    check_one_leg_per_event(slip, offers);
    check_markets_take_bets(slip, offers, now);
    auto bet = open_bet(std::move(bet_id), user_id, slip, accept_odds(slip, offers), limits_.max_payout, now);
    check_day_payout(gate.day_payouts, bet.potential_payout, limits_.max_payout_per_day);
    bet.idempotency_key = key;
    bet.request_hash = request_hash;
    if (const auto sports = live_leg_sports(slip, offers); !sports.empty()) {
      const auto delay = domain::acceptance_delay(sports, delays_.fallback, delays_.by_sport);
      bet.status = domain::BetStatus::pending;
      bet.accept_at = now + std::chrono::duration_cast<std::chrono::microseconds>(delay).count();
      bet.odds_change = slip.odds_change;
    }
    co_await take_stake(tx, stake, *stake_locks);
    // The bet, its legs and the ledger entries go to the database with the COMMIT, in one round trip
    // (a concurrent bet with the same key fails there, on the unique key, and is replayed).
    co_await store::BetRepository::insert(tx, bet);
    co_return bet;
  });
}

Awaitable<std::optional<Placed>> Bets::replay(const std::string& user_id, const std::string& key,
                                              const std::string& request_hash) {
  auto bet = co_await bets_.find_by_key(user_id, key);
  if (!bet) co_return std::nullopt;
  if (bet->request_hash != request_hash)
    throw Error(ErrorKind::invalid, "idempotency_key_reused", "This Idempotency-Key was used with a different request");
  co_return Placed{std::move(*bet), true};
}

Awaitable<std::optional<Bet>> Bets::find(std::string user_id, std::string bet_id) {
  co_return co_await bets_.find(std::move(user_id), std::move(bet_id));
}

Awaitable<std::vector<Bet>> Bets::list(std::string user_id, std::optional<domain::BetStatus> status, int limit,
                                       std::optional<std::pair<std::int64_t, std::string>> after) {
  co_return co_await bets_.list(std::move(user_id), status, limit, std::move(after));
}

}  // namespace b2w::sportsbook
