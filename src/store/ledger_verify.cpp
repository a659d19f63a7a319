// `bet2wealth ledger verify`: the ledger's own invariants, then every payment and every bet against the
// postings made for it. Each posting being valid on its own is not enough (a withdrawal once had both its
// return and its settlement); what a status implies comes from the transition tables in domain/.
#include <algorithm>
#include <map>
#include <tuple>

#include "domain/bet_states.hpp"
#include "domain/casino_states.hpp"
#include "domain/payment_states.hpp"
#include "store/bet_postings.hpp"
#include "store/casino.hpp"
#include "store/ledger.hpp"
#include "store/payments.hpp"
#include "store/wallet_usage.hpp"

namespace b2w::store {
namespace {

// Entities read per round trip: memory stays bounded however large the tables grow.
constexpr std::int64_t kPage = 2000;
// More problems than this are summarized: the first ones tell what is wrong.
constexpr std::size_t kMaxEntityProblems = 1000;

using Entries = std::vector<domain::Posting>;

Entries sorted(Entries e) {
  std::sort(e.begin(), e.end(), [](const auto& a, const auto& b) {
    return std::tie(a.account_id, a.amount) < std::tie(b.account_id, b.amount);
  });
  return e;
}

bool same_entries(const Entries& a, const Entries& b) {
  const auto x = sorted(a), y = sorted(b);
  return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                    [](const auto& p, const auto& q) { return p.account_id == q.account_id && p.amount == q.amount; });
}

// The ledger transactions an entity has, by id, each with its kind and entries.
struct Recorded {
  std::string kind;
  Entries entries;
};

template <typename Posting>
std::string names_of(const std::map<Posting, Recorded>& held) {
  std::string out = "{";
  for (const auto& [posting, _] : held) out += (out.size() > 1 ? ", " : "") + std::string(domain::to_string(posting));
  return out + "}";
}

std::string names_of(const std::map<domain::BetPosting, Recorded>& held) {
  std::string out = "{";
  for (const auto& [posting, _] : held) out += (out.size() > 1 ? ", " : "") + std::string(domain::ledger_kind(posting));
  return out + "}";
}

// Checks one entity: its postings are a set its status allows, and each one moved exactly the money it should.
template <typename Table, typename Status, typename Posting, typename Expected>
void check_entity(const std::string& what, const Table& table, Status status, std::string_view status_name,
                  const std::map<Posting, Recorded>& held, Expected expected, std::vector<std::string>& problems) {
  std::vector<Posting> postings;
  for (const auto& [posting, _] : held) postings.push_back(posting);
  if (!table.consistent(status, postings))
    problems.push_back(what + " is " + std::string(status_name) + " but its ledger holds " + names_of(held));
  for (const auto& [posting, recorded] : held) {
    const LedgerTransfer want = expected(posting);
    if (recorded.kind != want.kind || !same_entries(recorded.entries, want.postings))
      problems.push_back(what + ": ledger transaction " + want.id + " does not move what its status and amount say");
  }
}

std::string payment_posting_ids() {
  std::string out;
  for (auto p : {domain::PaymentPosting::deposit_credit, domain::PaymentPosting::withdrawal_hold,
                 domain::PaymentPosting::withdrawal_return, domain::PaymentPosting::withdrawal_settle,
                 domain::PaymentPosting::withdrawal_reversal})
    out += (out.empty() ? "'" : ", '") + std::string(domain::to_string(p)) + ":' || p.id";
  return out;
}

Awaitable<void> verify_payments(Database& db, std::vector<std::string>& problems) {
  const std::string sql =
      "SELECT p.id, p.user_id, p.kind, p.status, p.amount, p.reference, t.id, t.kind, e.account_id, e.amount"
      " FROM (SELECT id, user_id, kind, status, amount, reference FROM payments WHERE id > $1 ORDER BY id LIMIT $2) p"
      " LEFT JOIN ledger_transactions t ON t.id IN (" +
      payment_posting_ids() +
      ")"
      " LEFT JOIN ledger_entries e ON e.transaction_id = t.id ORDER BY p.id, t.id, e.seq";
  std::string after;
  for (;;) {
    const auto rows = co_await db.query(sql, after, kPage);
    if (rows.empty()) co_return;
    for (std::size_t i = 0; i < rows.rows.size();) {
      const auto& first = rows.rows[i];
      Payment p;
      p.id = first.str(0);
      p.user_id = first.str(1);
      p.reference = first.str(5);
      p.amount = first.i64(4);
      const auto kind = domain::parse_payment_kind(first.str(2));
      const auto status = domain::parse_payment_status(first.str(3));
      std::map<domain::PaymentPosting, Recorded> held;
      for (; i < rows.rows.size() && rows.rows[i].str(0) == p.id; ++i) {
        const auto& r = rows.rows[i];
        if (r.is_null(6)) continue;
        const auto posting = domain::parse_ledger_transaction_id(r.str(6));
        if (!posting) continue;  // the IN list names only payment postings
        auto& recorded = held[posting->first];
        recorded.kind = r.str(7);
        if (!r.is_null(8)) recorded.entries.push_back({r.str(8), r.i64(9)});
      }
      after = p.id;
      if (!kind || !status) {
        problems.push_back("payment " + p.id + " has an unknown kind or status");
        continue;
      }
      p.kind = *kind;
      p.status = *status;
      check_entity(
          std::string(domain::to_string(p.kind)) + " " + p.id, domain::transitions_of(p.kind), p.status,
          domain::to_string(p.status), held,
          [&](domain::PaymentPosting posting) { return payment_transfer(posting, p); }, problems);
    }
    if (problems.size() > kMaxEntityProblems) co_return;
  }
}

Awaitable<void> verify_bets(Database& db, std::vector<std::string>& problems) {
  static constexpr const char* kSql =
      "SELECT b.id, b.user_id, b.status, b.stake, b.payout, t.id, t.kind, e.account_id, e.amount"
      " FROM (SELECT id, user_id, status, stake, payout FROM bets WHERE id > $1 ORDER BY id LIMIT $2) b"
      " LEFT JOIN ledger_transactions t ON t.id IN ('stake:' || b.id, 'settle:' || b.id)"
      " LEFT JOIN ledger_entries e ON e.transaction_id = t.id ORDER BY b.id, t.id, e.seq";
  std::string after;
  for (;;) {
    const auto rows = co_await db.query(kSql, after, kPage);
    if (rows.empty()) co_return;
    for (std::size_t i = 0; i < rows.rows.size();) {
      const auto& first = rows.rows[i];
      const std::string bet_id = first.str(0), user_id = first.str(1);
      const auto status = domain::parse_bet_status(first.str(2));
      const auto stake = first.i64(3);
      const auto payout = first.opt_i64(4).value_or(0);
      std::map<domain::BetPosting, Recorded> held;
      bool strange = false;
      for (; i < rows.rows.size() && rows.rows[i].str(0) == bet_id; ++i) {
        const auto& r = rows.rows[i];
        if (r.is_null(5)) continue;
        const auto posting = r.str(5).rfind("stake:", 0) == 0 ? std::optional(domain::BetPosting::stake)
                                                              : domain::parse_bet_ledger_kind(r.str(6));
        if (!posting) {
          strange = true;
          continue;
        }
        auto& recorded = held[*posting];
        recorded.kind = r.str(6);
        if (!r.is_null(7)) recorded.entries.push_back({r.str(7), r.i64(8)});
      }
      after = bet_id;
      if (!status || strange) {
        problems.push_back("bet " + bet_id + " has an unknown status or ledger transaction kind");
        continue;
      }
      check_entity(
          "bet " + bet_id, domain::bet_transitions(), *status, domain::to_string(*status), held,
          [&](domain::BetPosting posting) {
            if (posting == domain::BetPosting::stake) return bet_stake_transfer(bet_id, user_id, stake);
            // The closing transfer its recorded status calls for (a mismatch shows as different entries).
            const bool closed = *status != domain::BetStatus::open && *status != domain::BetStatus::pending;
            const auto closed_as = closed ? *status : domain::BetStatus::void_;
            return bet_closing_transfer(bet_id, user_id, stake, closed_as, payout);
          },
          problems);
    }
    if (problems.size() > kMaxEntityProblems) co_return;
  }
}

Awaitable<void> verify_casino(Database& db, std::vector<std::string>& problems) {
  using domain::CasinoPosting;
  std::string ids;
  for (auto p : {CasinoPosting::stake, CasinoPosting::stake_return, CasinoPosting::win, CasinoPosting::win_return})
    ids += (ids.empty() ? "'" : ", '") + std::string(domain::to_string(p)) + ":' || c.aggregator || ':' || c.tid";
  const std::string sql =
      "SELECT c.aggregator, c.tid, c.user_id, c.kind, c.status, c.amount, c.round_id, t.id, t.kind, e.account_id,"
      " e.amount FROM (SELECT aggregator, tid, user_id, kind, status, amount, round_id FROM casino_transactions"
      " WHERE aggregator > $1 OR (aggregator = $1 AND tid > $2) ORDER BY aggregator, tid LIMIT $3) c"
      " LEFT JOIN ledger_transactions t ON t.id IN (" +
      ids + ") LEFT JOIN ledger_entries e ON e.transaction_id = t.id ORDER BY c.aggregator, c.tid, t.id, e.seq";
  std::string after_aggregator, after_tid;
  for (;;) {
    const auto rows = co_await db.query(sql, after_aggregator, after_tid, kPage);
    if (rows.empty()) co_return;
    for (std::size_t i = 0; i < rows.rows.size();) {
      const auto& first = rows.rows[i];
      CasinoTransaction t;
      t.aggregator = first.str(0);
      t.tid = first.str(1);
      t.user_id = first.str(2);
      t.amount = first.i64(5);
      t.round_id = first.str(6);
      const auto kind = domain::parse_casino_tx_kind(first.str(3));
      const auto status = domain::parse_casino_tx_status(first.str(4));
      std::map<CasinoPosting, Recorded> held;
      for (; i < rows.rows.size() && rows.rows[i].str(0) == t.aggregator && rows.rows[i].str(1) == t.tid; ++i) {
        const auto& r = rows.rows[i];
        if (r.is_null(7)) continue;
        const auto posting = domain::parse_casino_ledger_id(r.str(7));
        if (!posting) continue;
        auto& recorded = held[*posting];
        recorded.kind = r.str(8);
        if (!r.is_null(9)) recorded.entries.push_back({r.str(9), r.i64(10)});
      }
      after_aggregator = t.aggregator;
      after_tid = t.tid;
      const std::string what = "casino transaction " + t.aggregator + ":" + t.tid;
      if (!kind || !status) {
        problems.push_back(what + " has an unknown kind or status");
        continue;
      }
      t.kind = *kind;
      check_entity(
          what, domain::casino_transitions(t.kind), *status, domain::to_string(*status), held,
          [&](CasinoPosting posting) { return casino_transfer(posting, t); }, problems);
    }
    if (problems.size() > kMaxEntityProblems) co_return;
  }
}

// Postings that name a payment or a bet that does not exist, and per-user holds that differ from the
// entities holding them.
Awaitable<void> verify_orphans_and_holds(Database& db, std::vector<std::string>& problems) {
  // PostgreSQL keeps no foreign keys on these hot tables (migration 010): what the keys guarded is checked here.
  for (const auto& r : (co_await db.query("SELECT DISTINCT e.transaction_id FROM ledger_entries e"
                                          " WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t"
                                          " WHERE t.id = e.transaction_id)"))
                           .rows)
    problems.push_back("ledger entries of " + r.str(0) + " have no transaction header");
  for (const auto& r :
       (co_await db.query("SELECT DISTINCT e.account_id FROM ledger_entries e"
                          " WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = e.account_id)"))
           .rows)
    problems.push_back("ledger entries post to " + r.str(0) + ", which is no account");
  for (const auto& r : (co_await db.query("SELECT c.aggregator, c.tid, c.user_id FROM casino_transactions c"
                                          " WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.user_id)"))
                           .rows)
    problems.push_back("casino transaction " + r.str(0) + ":" + r.str(1) + " names no player (" + r.str(2) + ")");
  for (const auto& r : (co_await db.query("SELECT t.id FROM ledger_transactions t"
                                          " WHERE (t.id LIKE 'deposit:%' OR t.id LIKE 'withdrawal-%')"
                                          " AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.reference = t.reference)"))
                           .rows)
    problems.push_back("ledger transaction " + r.str(0) + " names no payment");
  for (const auto& r : (co_await db.query("SELECT t.id FROM ledger_transactions t"
                                          " WHERE (t.id LIKE 'stake:%' OR t.id LIKE 'settle:%')"
                                          " AND NOT EXISTS (SELECT 1 FROM bets b WHERE b.id = t.reference)"))
                           .rows)
    problems.push_back("ledger transaction " + r.str(0) + " names no bet");
  const std::string held_statuses = "'" + std::string(domain::to_string(domain::PaymentStatus::pending)) + "', '" +
                                    std::string(domain::to_string(domain::PaymentStatus::awaiting_review)) + "'";
  for (const auto& r :
       (co_await db.query("SELECT id, balance, held FROM (SELECT a.id, a.balance, (SELECT COALESCE(SUM(p.amount), 0)"
                          " FROM payments p WHERE p.user_id = a.user_id AND p.kind = 'withdrawal' AND p.status IN (" +
                          held_statuses +
                          ")) AS held FROM ledger_accounts a WHERE a.kind = 'pending_withdrawals') x"
                          " WHERE balance <> held"))
           .rows)
    problems.push_back("account " + r.str(0) + ": balance " + r.str(1) + " but its open withdrawals hold " + r.str(2));
  for (const auto& r :
       (co_await db.query("SELECT id, balance, held FROM (SELECT a.id, a.balance, (SELECT COALESCE(SUM(b.stake), 0)"
                          " FROM bets b WHERE b.user_id = a.user_id AND b.status IN ('open', 'pending')) AS held"
                          " FROM ledger_accounts a WHERE a.kind = 'bets_in_play') x WHERE balance <> held"))
           .rows)
    problems.push_back("account " + r.str(0) + ": balance " + r.str(1) + " but its open and pending bets stake " +
                       r.str(2));
}

}  // namespace

Awaitable<std::vector<std::string>> LedgerRepository::verify() {
  std::vector<std::string> problems;
  for (const auto& r : (co_await db_.query("SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0) FROM ledger_accounts a"
                                           " LEFT JOIN ledger_entries e ON e.account_id = a.id GROUP BY a.id, a.balance"
                                           " HAVING a.balance <> COALESCE(SUM(e.amount), 0)"))
                           .rows)
    problems.push_back("account " + r.str(0) + ": balance " + r.str(1) + " but its entries sum to " + r.str(2));
  for (const auto& r : (co_await db_.query("SELECT transaction_id, SUM(amount) FROM ledger_entries"
                                           " GROUP BY transaction_id HAVING SUM(amount) <> 0"))
                           .rows)
    problems.push_back("transaction " + r.str(0) + ": entries sum to " + r.str(1) + ", not 0");
  for (const auto& r : (co_await db_.query("SELECT t.id, COUNT(e.seq) FROM ledger_transactions t"
                                           " LEFT JOIN ledger_entries e ON e.transaction_id = t.id"
                                           " GROUP BY t.id HAVING COUNT(e.seq) < 2"))
                           .rows)
    problems.push_back("transaction " + r.str(0) + ": " + r.str(1) + " entries (at least 2 needed)");
  for (const auto& r :
       (co_await db_.query("SELECT id, balance FROM ledger_accounts WHERE may_go_negative = 0 AND balance < 0")).rows)
    problems.push_back("account " + r.str(0) + ": negative balance " + r.str(1));
  const auto total = (co_await db_.query("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts")).one().i64(0);
  if (total != 0)
    problems.push_back("all balances sum to " + std::to_string(total) + ", not 0: money was created or lost");

  co_await verify_payments(db_, problems);
  co_await verify_bets(db_, problems);
  co_await verify_casino(db_, problems);
  co_await verify_orphans_and_holds(db_, problems);
  co_await verify_usage_hours(db_, problems);
  if (problems.size() > kMaxEntityProblems) {
    const auto more = problems.size() - kMaxEntityProblems;
    problems.resize(kMaxEntityProblems);
    problems.push_back("... and " + std::to_string(more) + " more problems");
  }
  co_return problems;
}

}  // namespace b2w::store
