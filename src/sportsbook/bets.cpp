#include "sportsbook/bets.hpp"

#include <boost/json/object.hpp>
#include <set>
#include <unordered_map>

#include "domain/odds.hpp"
#include "http/api_error.hpp"
#include "store/bet_postings.hpp"
#include "store/ledger.hpp"
#include "util/ids.hpp"

namespace b2w::sportsbook {

using http::ApiError;
using http::Status;
using store::Row;
using store::Tx;
using store::Value;
using store::parameter_list;
using store::value_rows;

namespace {

constexpr const char* kBetColumns = "id, status, stake, total_odds, potential_payout, payout, created_at, settled_at";

Bet bet_of(const Row& r) {
  Bet b;
  b.id = r.str(0);
  b.status = r.str(1);
  b.stake = r.i64(2);
  b.total_odds = r.str(3);
  b.potential_payout = r.i64(4);
  b.payout = r.opt_i64(5);
  b.created_at = r.i64(6);
  b.settled_at = r.opt_i64(7);
  return b;
}

std::string leg_field(std::size_t i, const char* name) {
  return "legs[" + std::to_string(i) + "]." + name;
}

// The checks that need no database: stake limits, the number of legs, one leg per selection.
void check_slip(const BetSlip& slip, const BettingLimits& limits) {
  if (slip.stake < limits.min_stake || slip.stake > limits.max_stake)
    throw ApiError(Status::unprocessable_entity, "stake_out_of_range",
                   "The stake must be from " + std::to_string(limits.min_stake) + " to " +
                       std::to_string(limits.max_stake) + " kobo")
        .detail("stake", "must be from " + std::to_string(limits.min_stake) + " to " + std::to_string(limits.max_stake));
  if (slip.legs.empty() || static_cast<int>(slip.legs.size()) > limits.max_legs)
    throw ApiError::validation().detail("legs", "must have 1 to " + std::to_string(limits.max_legs) + " legs");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < slip.legs.size(); ++i)
    if (!seen.insert(slip.legs[i].first).second)
      throw ApiError(Status::unprocessable_entity, "conflicting_legs", "A bet can have only one leg per event")
          .detail(leg_field(i, "selection_id"), "repeats a selection already on the slip");
}

struct Offer {
  std::string market_id;
  domain::Odds odds;
  std::string event_id;
  std::string market_status;
  std::string event_status;
  std::int64_t starts_at;
};

std::vector<Value> selection_ids(const BetSlip& slip) {
  std::vector<Value> ids;
  for (const auto& leg : slip.legs) ids.push_back(Value{leg.first});
  return ids;
}

std::vector<Value> bet_row(const Bet& bet, const std::string& user_id, const std::string& key, const std::string& hash) {
  std::vector<Value> row;
  row.push_back(Value{bet.id});
  row.push_back(Value{user_id});
  row.push_back(Value{key});
  row.push_back(Value{hash});
  row.push_back(Value{bet.stake});
  row.push_back(Value{bet.total_odds});
  row.push_back(Value{bet.potential_payout});
  row.push_back(Value{bet.created_at});
  return row;
}

BetLeg leg_of(const std::string& selection_id, const Offer& offer, domain::Odds odds) {
  return BetLeg{selection_id, offer.market_id, offer.event_id, odds, "open"};
}

}  // namespace

Awaitable<Placed> Bets::place(std::string user_id, BetSlip slip, std::string key, std::string request_hash) {
  check_slip(slip, limits_);
  std::exception_ptr refused;
  try {
    auto bet = co_await place_in_transaction(user_id, slip, key, request_hash);
    co_return Placed{std::move(bet), false};
  } catch (const store::ConstraintViolation& e) {
    // A concurrent request with the same key committed first.
    if (e.constraint().find("idempotency_key") == std::string::npos) throw;
    refused = std::current_exception();
  } catch (const ApiError&) {
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
    // Share locks on the markets: a suspension, odds change or settlement (and an event's
    // cancellation, which settles its markets) either committed before and is seen, or waits until
    // this bet commits. Events are not locked: every bet on a match would share-lock one hot row
    // (a multixact each); the start time is checked against the clock. (SQLite's single writer
    // needs no locks.)
    const auto rows = co_await tx.execute(
        "SELECT s.id, s.market_id, s.odds, m.event_id, m.status, e.status, e.starts_at FROM selections s"
        " JOIN markets m ON m.id = s.market_id JOIN events e ON e.id = m.event_id WHERE s.id IN (" +
            parameter_list(1, slip.legs.size()) + ") FOR SHARE OF m",
        selection_ids(slip));
    std::unordered_map<std::string, Offer> offers;
    for (const auto& r : rows.rows) offers.emplace(r.str(0), Offer{r.str(1), r.i64(2), r.str(3), r.str(4), r.str(5), r.i64(6)});
    // The odds again, in a statement that starts after the locks were granted: if the lock waited for
    // an odds change, the locking statement re-read only the locked rows (markets, events), not the
    // selections, so its odds may be the ones from before the change.
    const auto fresh = co_await tx.execute("SELECT id, odds FROM selections WHERE id IN (" +
                                               parameter_list(1, slip.legs.size()) + ")",
                                           selection_ids(slip));
    for (const auto& r : fresh.rows)
      if (auto it = offers.find(r.str(0)); it != offers.end()) it->second.odds = r.i64(1);

    auto unknown = ApiError(Status::unprocessable_entity, "selection_not_found", "A selection on the slip does not exist");
    bool any_unknown = false;
    for (std::size_t i = 0; i < slip.legs.size(); ++i)
      if (!offers.count(slip.legs[i].first)) {
        unknown.detail(leg_field(i, "selection_id"), "no such selection");
        any_unknown = true;
      }
    if (any_unknown) throw unknown;

    std::set<std::string> events;
    for (std::size_t i = 0; i < slip.legs.size(); ++i)
      if (!events.insert(offers.at(slip.legs[i].first).event_id).second)
        throw ApiError(Status::unprocessable_entity, "conflicting_legs", "A bet can have only one leg per event")
            .detail(leg_field(i, "selection_id"), "is on an event already on the slip");

    const auto now = store::now_micros();
    for (std::size_t i = 0; i < slip.legs.size(); ++i) {
      const auto& offer = offers.at(slip.legs[i].first);
      if (offer.market_status == "suspended")
        throw ApiError(Status::conflict, "market_suspended", "A market on the slip is suspended; try again shortly")
            .detail(leg_field(i, "selection_id"), "its market is suspended");
      if (offer.market_status != "open" || offer.event_status != "scheduled" || offer.starts_at <= now)
        throw ApiError(Status::conflict, "market_closed", "A market on the slip no longer takes bets")
            .detail(leg_field(i, "selection_id"), "its market is closed");
    }

    std::vector<BetLeg> legs;
    std::vector<domain::Odds> odds;
    auto moved = ApiError(Status::conflict, "odds_changed", "The odds changed; the current odds are in details");
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
      legs.push_back(leg_of(selection_id, offer, *taken));
      odds.push_back(*taken);
    }
    if (any_moved) throw moved;

    const auto potential = domain::payout(slip.stake, odds, limits_.max_payout);
    if (!potential)
      throw ApiError(Status::unprocessable_entity, "payout_too_high",
                     "The potential payout is above the maximum of " + std::to_string(limits_.max_payout) + " kobo");

    Bet bet;
    bet.id = new_id("bet");
    bet.status = "open";
    bet.stake = slip.stake;
    bet.total_odds = domain::product_text(odds);
    bet.potential_payout = *potential;
    bet.created_at = now;
    bet.legs = std::move(legs);

    const auto stake = store::bet_stake_transfer(bet.id, user_id, slip.stake);
    bool broke = false;
    try {
      co_await store::LedgerRepository::post(tx, stake);
    } catch (const store::InsufficientFunds&) {
      broke = true;
    }
    if (broke) throw ApiError(Status::unprocessable_entity, "insufficient_funds", "The wallet balance does not cover the stake");

    // The bet, its legs and the ledger entries go to the database with the COMMIT, in one round trip
    // (a concurrent bet with the same key fails there, on the unique key, and is replayed).
    co_await tx.defer(
        "INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
        bet_row(bet, user_id, key, request_hash));
    std::vector<Value> params;
    for (std::size_t i = 0; i < bet.legs.size(); ++i) {
      const auto& l = bet.legs[i];
      params.push_back(Value{bet.id});
      params.push_back(Value{static_cast<std::int64_t>(i)});
      params.push_back(Value{l.selection_id});
      params.push_back(Value{l.market_id});
      params.push_back(Value{l.event_id});
      params.push_back(Value{l.odds});
      params.push_back(Value{l.status});
    }
    co_await tx.defer("INSERT INTO bet_legs (bet_id, seq, selection_id, market_id, event_id, odds, status) VALUES " +
                          value_rows(bet.legs.size(), 7),
                      std::move(params));
    co_return bet;
  });
}

Awaitable<std::optional<Placed>> Bets::replay(const std::string& user_id, const std::string& key,
                                              const std::string& request_hash) {
  const auto rows =
      co_await db_.query("SELECT id, request_hash FROM bets WHERE user_id = $1 AND idempotency_key = $2", user_id, key);
  if (rows.empty()) co_return std::nullopt;
  if (rows.one().str(1) != request_hash)
    throw ApiError(Status::unprocessable_entity, "idempotency_key_reused",
                   "This Idempotency-Key was used with a different request");
  auto bet = co_await find(user_id, rows.one().str(0));
  if (!bet) co_return std::nullopt;
  co_return Placed{std::move(*bet), true};
}

Awaitable<std::optional<Bet>> Bets::find(std::string user_id, std::string bet_id) {
  const auto rows = co_await db_.query(std::string("SELECT ") + kBetColumns + " FROM bets WHERE id = $1 AND user_id = $2",
                                       bet_id, user_id);
  if (rows.empty()) co_return std::nullopt;
  std::vector<Bet> bets;
  bets.push_back(bet_of(rows.one()));
  co_await attach_legs(bets);
  co_return std::move(bets.front());
}

Awaitable<std::vector<Bet>> Bets::list(std::string user_id, std::optional<std::string> status, int limit,
                                       std::optional<std::pair<std::int64_t, std::string>> after) {
  std::string sql = std::string("SELECT ") + kBetColumns + " FROM bets WHERE user_id = $1";
  std::vector<Value> params;
  params.push_back(Value{user_id});
  if (status) {
    params.push_back(Value{*status});
    sql += " AND status = $" + std::to_string(params.size());
  }
  if (after) {
    params.push_back(Value{after->first});
    const auto at = "$" + std::to_string(params.size());
    params.push_back(Value{after->second});
    sql += " AND (created_at < " + at + " OR (created_at = " + at + " AND id < $" + std::to_string(params.size()) + "))";
  }
  params.push_back(Value{std::int64_t{limit}});
  sql += " ORDER BY created_at DESC, id DESC LIMIT $" + std::to_string(params.size());
  const auto rows = co_await db_.execute(sql, std::move(params));
  std::vector<Bet> bets;
  for (const auto& r : rows.rows) bets.push_back(bet_of(r));
  co_await attach_legs(bets);
  co_return bets;
}

Awaitable<void> Bets::attach_legs(std::vector<Bet>& bets) {
  if (bets.empty()) co_return;
  std::vector<Value> ids;
  std::unordered_map<std::string, Bet*> by_id;
  for (auto& b : bets) {
    ids.push_back(Value{b.id});
    by_id[b.id] = &b;
  }
  const auto rows = co_await db_.execute(
      "SELECT bet_id, selection_id, market_id, event_id, odds, status FROM bet_legs WHERE bet_id IN (" +
          parameter_list(1, ids.size()) + ") ORDER BY bet_id, seq",
      std::move(ids));
  for (const auto& r : rows.rows)
    by_id.at(r.str(0))->legs.push_back(BetLeg{r.str(1), r.str(2), r.str(3), r.i64(4), r.str(5)});
}

}  // namespace b2w::sportsbook
