// A model-based concurrency test of deposits and withdrawals (issue 15). Each seed drives random waves of
// concurrent operations through the real server (two tasks on one PostgreSQL, or one on SQLite) and a fake
// Paystack whose behaviour is scripted per amount: user requests and their retries, administrators approving
// and rejecting at the same moment, webhooks early (during our /transfer call), late, duplicated, reordered
// or with the wrong amount, and provider failures. A reference model records what each answer means and
// what the bank really did; at the end every withdrawal's status, every balance and the set of transfers the
// bank received must be exactly what the model says, and `ledger verify` must pass.
//
// B2W_MODEL_SEEDS (default 6), B2W_MODEL_OPS (operations per seed, default 60) and B2W_MODEL_FIRST_SEED
// make longer runs: e.g. B2W_MODEL_SEEDS=200 build/tests/integration_tests --gtest_filter='PaymentsModel*'.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

constexpr std::int64_t kFunding = 400000;
constexpr std::int64_t kReviewThreshold = 50000;

enum class DepositFate { ok, refuse_once, down_once };
enum class TransferFate { ok, refuse, down, early_success, early_failed, early_reversed };
enum class BankOutcome { success, failed, success_then_reversed, reversed_then_success };

struct Deposit {
  int user = 0;
  std::int64_t amount = 0;
  std::string key, reference;
  DepositFate fate = DepositFate::ok;
  bool checkout = false;     // a 201 with a checkout page was seen
  bool needs_retry = false;  // a 502 was seen
  bool dead = false;         // the key was spent on another amount
  bool paid = false;         // the customer paid and Paystack said so
  bool busy = false;         // an operation of this wave uses it
};

struct Withdrawal {
  int user = 0;
  std::int64_t amount = 0;
  std::string key, id, reference;
  bool review = false;
  TransferFate fate = TransferFate::ok;
  BankOutcome outcome = BankOutcome::success;
  bool created = false, refused = false, approved = false, rejected = false, delivered = false, busy = false;
};

enum class OpKind {
  new_deposit,
  retry_deposit,
  pay,
  forged_charge,
  new_withdrawal,
  decide,
  bank_outcome,
  forged_transfer
};
enum class Decision { approve, reject, approve_and_reject, approve_twice, reject_twice };

struct Op {
  OpKind kind;
  std::size_t target = 0;  // index into deposits_ or withdrawals_
  int variant = 0;         // the operation's own random choice
  int port = 0;
  int copies = 1;  // duplicated webhook deliveries
};

std::string status_of(const std::optional<HttpResponse>& r) {
  return r ? std::to_string(r->status) : "no answer";
}

const char* expected_status(const Withdrawal& w) {
  if (w.refused) return "failed";
  if (w.rejected) return "rejected";
  if (w.review && !w.approved) return "awaiting_review";
  switch (w.fate) {
    case TransferFate::refuse:
      return "failed";
    case TransferFate::down:
      return "pending";
    case TransferFate::early_success:
      return "completed";
    case TransferFate::early_failed:
      return "failed";
    case TransferFate::early_reversed:
      return "reversed";
    case TransferFate::ok:
      break;
  }
  if (!w.delivered) return "pending";
  switch (w.outcome) {
    case BankOutcome::success:
      return "completed";
    case BankOutcome::failed:
      return "failed";
    default:
      return "reversed";
  }
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

class ModelRun {
 public:
  ModelRun(Money& m, std::vector<int> tasks, std::string admin, std::string label, std::uint64_t seed)
      : m_(m), tasks_(std::move(tasks)), admin_(std::move(admin)), label_(std::move(label)), seed_(seed), rng_(seed) {}

  void run(int operations) {
    for (int i = 0; i < 2; ++i) {
      tokens_.push_back(
          m_.user("model-" + label_ + "-" + std::to_string(seed_) + "-" + std::to_string(i) + "@example.ng"));
      m_.fund(tokens_.back(), kFunding, "fund");
      payout_accounts_.push_back(m_.payout_account(tokens_.back()));
    }
    int done = 0;
    while (done < operations && !::testing::Test::HasFatalFailure()) {
      auto wave = next_wave();
      done += static_cast<int>(wave.size());
      std::vector<std::future<void>> running;
      std::latch start(static_cast<std::ptrdiff_t>(wave.size()));
      for (const auto& op : wave)
        running.push_back(std::async(std::launch::async, [this, op, &start] {
          start.arrive_and_wait();
          execute(op);
        }));
      for (auto& r : running) r.get();
      for (auto& d : deposits_) d.busy = false;
      for (auto& w : withdrawals_) w.busy = false;
    }
    settle_everything();
    check();
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return pick(100) < percent; }
  int port() { return tasks_[static_cast<std::size_t>(pick(static_cast<int>(tasks_.size())))]; }
  // Amounts are unique across the run (the fake's scripts are per amount) and never collide between kinds.
  std::int64_t amount(std::int64_t base) { return base + 7 * counter_++; }

  template <typename T, typename Pred>
  std::optional<std::size_t> pick_one(std::vector<T>& items, Pred eligible) {
    std::vector<std::size_t> choices;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (!items[i].busy && eligible(items[i])) choices.push_back(i);
    if (choices.empty()) return std::nullopt;
    const auto i = choices[static_cast<std::size_t>(pick(static_cast<int>(choices.size())))];
    items[i].busy = true;
    return i;
  }

  std::vector<Op> next_wave() {
    std::vector<Op> wave;
    const int size = 1 + pick(6);
    for (int attempts = 0; static_cast<int>(wave.size()) < size && attempts < 50; ++attempts) {
      Op op{static_cast<OpKind>(pick(8)), 0, pick(100), port(), 1 + pick(3)};
      std::optional<std::size_t> target;
      switch (op.kind) {
        case OpKind::new_deposit: {
          Deposit d;
          d.user = pick(2);
          d.amount = amount(10000);
          d.key = "dep-" + std::to_string(counter_);
          d.fate = op.variant < 60   ? DepositFate::ok
                   : op.variant < 80 ? DepositFate::refuse_once
                                     : DepositFate::down_once;
          d.busy = true;
          deposits_.push_back(d);
          target = deposits_.size() - 1;
          break;
        }
        case OpKind::retry_deposit:
          target = pick_one(deposits_, [](const Deposit& d) { return d.needs_retry && !d.dead; });
          break;
        case OpKind::pay:
          target = pick_one(deposits_, [](const Deposit& d) { return d.checkout && !d.paid; });
          break;
        case OpKind::forged_charge:
          target = pick_one(deposits_, [](const Deposit& d) { return d.checkout; });
          break;
        case OpKind::new_withdrawal: {
          Withdrawal w;
          w.user = pick(2);
          const int size_roll = pick(100);
          w.amount = size_roll < 60 ? amount(2000) : size_roll < 95 ? amount(60000) : amount(5'000'000);
          w.review = w.amount > kReviewThreshold;
          w.key = "wd-" + std::to_string(counter_);
          const int f = pick(100);
          w.fate = f < 50   ? TransferFate::ok
                   : f < 60 ? TransferFate::refuse
                   : f < 70 ? TransferFate::down
                   : f < 80 ? TransferFate::early_success
                   : f < 90 ? TransferFate::early_failed
                            : TransferFate::early_reversed;
          const int o = pick(100);
          w.outcome = o < 50   ? BankOutcome::success
                      : o < 70 ? BankOutcome::failed
                      : o < 90 ? BankOutcome::success_then_reversed
                               : BankOutcome::reversed_then_success;
          w.busy = true;
          withdrawals_.push_back(w);
          target = withdrawals_.size() - 1;
          break;
        }
        case OpKind::decide:
          target = pick_one(withdrawals_,
                            [](const Withdrawal& w) { return w.created && w.review && !w.approved && !w.rejected; });
          break;
        case OpKind::bank_outcome:
          target = pick_one(withdrawals_, [](const Withdrawal& w) { return transfer_sent_ok(w) && !w.delivered; });
          break;
        case OpKind::forged_transfer:
          target = pick_one(withdrawals_, [](const Withdrawal& w) { return w.created; });
          break;
      }
      if (!target) continue;
      op.target = *target;
      wave.push_back(op);
    }
    return wave;
  }

  // The bank has the transfer and will tell its outcome through webhooks (scripted fates tell their own).
  static bool transfer_sent_ok(const Withdrawal& w) {
    return w.created && !w.rejected && (!w.review || w.approved) && w.fate == TransferFate::ok;
  }

  void fail(const std::string& what) { ADD_FAILURE() << label_ << " seed " << seed_ << ": " << what; }

  void execute(const Op& op) {
    switch (op.kind) {
      case OpKind::new_deposit:
        return new_deposit(op);
      case OpKind::retry_deposit:
        return retry_deposit(op);
      case OpKind::pay:
        return pay(op);
      case OpKind::forged_charge:
        return forged_charge(op);
      case OpKind::new_withdrawal:
        return new_withdrawal(op);
      case OpKind::decide:
        return decide(op);
      case OpKind::bank_outcome:
        return bank_outcome(op);
      case OpKind::forged_transfer:
        return forged_transfer(op);
    }
  }

  std::optional<HttpResponse> post(int port, const std::string& path, const object& body, const std::string& token,
                                   const std::string& key) {
    return m_.call_at(port, "POST", path, body, token, key);
  }

  void new_deposit(const Op& op) {
    Deposit d;
    {
      std::lock_guard lock(mu_);
      d = deposits_[op.target];
    }
    if (d.fate == DepositFate::refuse_once) m_.paystack().script(d.amount, R"({"initialize": ["refuse", "ok"]})");
    if (d.fate == DepositFate::down_once) m_.paystack().script(d.amount, R"({"initialize": ["down", "ok"]})");
    auto r = post(op.port, "/api/v1/wallet/deposits", {{"amount", d.amount}}, tokens_[static_cast<std::size_t>(d.user)],
                  d.key);
    std::lock_guard lock(mu_);
    auto& mine = deposits_[op.target];
    if (d.fate == DepositFate::ok) {
      if (!r || r->status != 201) return fail("deposit answered " + status_of(r) + (r ? " " + r->body : ""));
      mine.checkout = true;
      mine.reference = std::string(json_of(*r)["reference"].as_string());
    } else {
      if (!r || r->status != 502) return fail("deposit with a failing provider answered " + status_of(r));
      mine.needs_retry = true;
    }
  }

  void retry_deposit(const Op& op) {
    Deposit d;
    {
      std::lock_guard lock(mu_);
      d = deposits_[op.target];
    }
    const bool other_amount = op.variant < 30;
    auto r = post(op.port, "/api/v1/wallet/deposits", {{"amount", d.amount + (other_amount ? 1 : 0)}},
                  tokens_[static_cast<std::size_t>(d.user)], d.key);
    std::lock_guard lock(mu_);
    auto& mine = deposits_[op.target];
    if (other_amount) {
      if (!r || r->status != 422 || code_of(*r) != "idempotency_key_reused")
        return fail("a retry with another amount answered " + status_of(r));
      mine.dead = true;
      return;
    }
    if (!r || r->status != 201) return fail("a retried deposit answered " + status_of(r) + (r ? " " + r->body : ""));
    mine.needs_retry = false;
    mine.checkout = true;
    mine.reference = std::string(json_of(*r)["reference"].as_string());
  }

  // Deliveries of one webhook, `copies` of them at once; each must be acknowledged.
  void deliver(const std::string& body, int copies, int port) {
    std::vector<std::future<std::optional<HttpResponse>>> sent;
    for (int i = 0; i < copies; ++i)
      sent.push_back(std::async(std::launch::async, [&, i] { return m_.webhook_at(i % 2 ? port : m_.port(), body); }));
    for (auto& s : sent) {
      auto r = s.get();
      if (!r || r->status != 200) fail("webhook answered " + status_of(r) + (r ? " " + r->body : "") + " for " + body);
    }
  }

  void pay(const Op& op) {
    Deposit d;
    {
      std::lock_guard lock(mu_);
      d = deposits_[op.target];
    }
    deliver(Money::charge(d.reference, d.amount), op.copies, op.port);
    std::lock_guard lock(mu_);
    deposits_[op.target].paid = true;
  }

  void forged_charge(const Op& op) {
    Deposit d;
    {
      std::lock_guard lock(mu_);
      d = deposits_[op.target];
    }
    deliver(op.variant < 50 ? Money::charge(d.reference, d.amount + 100) : Money::charge(d.reference, d.amount, "USD"),
            op.copies, op.port);
  }

  void new_withdrawal(const Op& op) {
    Withdrawal w;
    {
      std::lock_guard lock(mu_);
      w = withdrawals_[op.target];
    }
    static constexpr const char* kScripts[] = {"", "refuse", "down", "early_success", "early_failed", "early_reversed"};
    if (w.fate != TransferFate::ok)
      m_.paystack().script(w.amount, std::string(R"({"transfer": ")") + kScripts[static_cast<int>(w.fate)] + "\"}");
    object body{{"amount", w.amount}, {"payout_account_id", payout_accounts_[static_cast<std::size_t>(w.user)]}};
    auto r = post(op.port, "/api/v1/wallet/withdrawals", body, tokens_[static_cast<std::size_t>(w.user)], w.key);
    std::lock_guard lock(mu_);
    auto& mine = withdrawals_[op.target];
    if (r && r->status == 422 && code_of(*r) == "insufficient_funds") return;  // nothing was held
    if (w.amount > kFunding * 4) return fail("a withdrawal beyond any balance answered " + status_of(r));
    if (!w.review && w.fate == TransferFate::refuse) {
      if (!r || r->status != 502) return fail("a refused transfer answered " + status_of(r));
      mine.refused = true;
      return;
    }
    if (!r || r->status != 201) return fail("a withdrawal answered " + status_of(r) + (r ? " " + r->body : ""));
    auto o = json_of(*r);
    mine.created = true;
    mine.id = std::string(o["id"].as_string());
    mine.reference = std::string(o["reference"].as_string());
    if (o["status"].as_string() != expected_status(mine))
      fail("withdrawal " + mine.id + " answered " + std::string(o["status"].as_string()) + ", the model says " +
           expected_status(mine));
  }

  void decide(const Op& op) {
    Withdrawal w;
    {
      std::lock_guard lock(mu_);
      w = withdrawals_[op.target];
    }
    const auto decision = static_cast<Decision>(op.variant % 5);
    std::vector<std::string> verbs;
    switch (decision) {
      case Decision::approve:
        verbs = {"approve"};
        break;
      case Decision::reject:
        verbs = {"reject"};
        break;
      case Decision::approve_and_reject:
        verbs = {"approve", "reject"};
        break;
      case Decision::approve_twice:
        verbs = {"approve", "approve"};
        break;
      case Decision::reject_twice:
        verbs = {"reject", "reject"};
        break;
    }
    std::latch start(static_cast<std::ptrdiff_t>(verbs.size()));
    std::vector<std::future<std::optional<HttpResponse>>> answers;
    for (std::size_t i = 0; i < verbs.size(); ++i)
      answers.push_back(std::async(std::launch::async, [&, i] {
        start.arrive_and_wait();
        return m_.call_at(tasks_[i % tasks_.size()], "POST", "/api/v1/admin/withdrawals/" + w.id + "/" + verbs[i],
                          object{}, admin_);
      }));
    int approved = 0, rejected = 0;
    for (std::size_t i = 0; i < verbs.size(); ++i) {
      auto r = answers[i].get();
      const int status = r ? r->status : 0;
      if (verbs[i] == "approve" && (status == 200 || status == 502))
        ++approved;  // 502: approved, transfer refused
      else if (verbs[i] == "reject" && status == 200)
        ++rejected;
      else if (status != 409)
        fail(verbs[i] + " of " + w.id + " answered " + status_of(r));
    }
    std::lock_guard lock(mu_);
    if (approved + rejected != 1)
      return fail(w.id + ": " + std::to_string(approved) + " approvals and " + std::to_string(rejected) +
                  " rejections applied, not exactly one");
    auto& mine = withdrawals_[op.target];
    mine.approved = approved == 1;
    mine.rejected = rejected == 1;
  }

  void bank_outcome(const Op& op) {
    Withdrawal w;
    {
      std::lock_guard lock(mu_);
      w = withdrawals_[op.target];
    }
    send_outcome(w, op.copies, op.port);
    std::lock_guard lock(mu_);
    withdrawals_[op.target].delivered = true;
  }

  void send_outcome(const Withdrawal& w, int copies, int port) {
    std::vector<const char*> events;
    switch (w.outcome) {
      case BankOutcome::success:
        events = {"transfer.success"};
        break;
      case BankOutcome::failed:
        events = {"transfer.failed"};
        break;
      case BankOutcome::success_then_reversed:
        events = {"transfer.success", "transfer.reversed"};
        break;
      case BankOutcome::reversed_then_success:
        events = {"transfer.reversed", "transfer.success"};
        break;
    }
    for (const auto* e : events) deliver(Money::transfer_event(e, w.reference, w.amount), copies, port);
  }

  void forged_transfer(const Op& op) {
    Withdrawal w;
    {
      std::lock_guard lock(mu_);
      w = withdrawals_[op.target];
    }
    const char* event = op.variant % 3 == 0   ? "transfer.success"
                        : op.variant % 3 == 1 ? "transfer.failed"
                                              : "transfer.reversed";
    deliver(op.variant < 50 ? Money::transfer_event(event, w.reference, w.amount - 1)
                            : Money::transfer_event(event, w.reference, w.amount, "USD"),
            op.copies, op.port);
  }

  // Quiescence: the bank tells every outcome still untold; some customers pay their open checkouts.
  void settle_everything() {
    for (auto& w : withdrawals_)
      if (transfer_sent_ok(w) && !w.delivered) {
        send_outcome(w, 1, port());
        w.delivered = true;
      }
    for (auto& d : deposits_)
      if (d.checkout && !d.paid && chance(50)) {
        deliver(Money::charge(d.reference, d.amount), 1, port());
        d.paid = true;
      }
  }

  void check() {
    // Every transfer the bank received belongs to a withdrawal that may send one, once.
    std::map<std::string, int> transfers;
    const auto seen = boost::json::parse(m_.paystack().requests_json());
    for (const auto& r : seen.as_array()) {
      const auto& o = r.as_object();
      if (o.at("path").as_string() == "/transfer")
        ++transfers[std::string(o.at("body").as_object().at("reference").as_string())];
    }
    std::map<int, std::int64_t> wallet, held;
    for (int u = 0; u < 2; ++u) wallet[u] = kFunding;
    for (const auto& d : deposits_)
      if (d.paid) wallet[d.user] += d.amount;
    std::set<std::string> known;
    int refused = 0, checked = 0;
    for (const auto& w : withdrawals_) {
      if (w.refused) ++refused;
      if (!w.created) continue;
      known.insert(w.id);
      const std::string want = expected_status(w);
      if (want == "completed" || want == "pending" || want == "awaiting_review") wallet[w.user] -= w.amount;
      if (want == "pending" || want == "awaiting_review") held[w.user] += w.amount;
      auto r = m_.get_auth("/api/v1/wallet/withdrawals/" + w.id, tokens_[static_cast<std::size_t>(w.user)]);
      ++checked;
      if (!r || r->status != 200) {
        fail("GET withdrawal " + w.id + " answered " + status_of(r));
        continue;
      }
      const std::string got(json_of(*r)["status"].as_string());
      if (got != want) fail("withdrawal " + w.id + " is " + got + ", the model says " + want);
      const bool may_transfer = !w.rejected && (!w.review || w.approved);
      const int sent = transfers.count(w.reference) ? transfers[w.reference] : 0;
      if (!may_transfer && sent != 0) fail("withdrawal " + w.id + " was never approved yet reached the bank");
      if (may_transfer && sent != 1)
        fail("withdrawal " + w.id + " reached the bank " + std::to_string(sent) + " times");
    }
    for (int u = 0; u < 2; ++u) {
      auto got = m_.wallet(tokens_[static_cast<std::size_t>(u)]);
      if (got["balance"].as_int64() != wallet[u])
        fail("user " + std::to_string(u) + " wallet " + std::to_string(got["balance"].as_int64()) +
             ", the model says " + std::to_string(wallet[u]));
      if (got["pending_withdrawals"].as_int64() != held[u])
        fail("user " + std::to_string(u) + " holds " + std::to_string(got["pending_withdrawals"].as_int64()) +
             ", the model says " + std::to_string(held[u]));
    }
    // The administrators' list: the known withdrawals plus the refused ones (failed), nothing else.
    std::set<std::string> users;
    for (const auto& t : tokens_)
      users.insert(std::string(json_of(*m_.get_auth("/api/v1/users/me", t))["id"].as_string()));
    int unknown_failed = 0;
    std::string cursor;
    for (;;) {
      auto page =
          m_.get_auth("/api/v1/admin/withdrawals?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor), admin_);
      if (!page || page->status != 200) return fail("the withdrawals list answered " + status_of(page));
      auto o = json_of(*page);
      for (const auto& item : o["data"].as_array()) {
        const auto& w = item.as_object();
        if (!users.count(std::string(w.at("user_id").as_string()))) continue;
        if (known.count(std::string(w.at("id").as_string()))) continue;
        if (w.at("status").as_string() == "failed")
          ++unknown_failed;
        else
          fail("an unexpected withdrawal " + std::string(w.at("id").as_string()));
      }
      if (o["next_cursor"].is_null()) break;
      cursor = std::string(o["next_cursor"].as_string());
    }
    if (unknown_failed != refused)
      fail(std::to_string(unknown_failed) + " unanswered failed withdrawals, the model says " +
           std::to_string(refused));
    if (m_.verify_ledger() != 0) fail("ledger verify failed");
    std::printf("%s seed %llu: %zu deposits, %zu withdrawals (%d checked, %d refused), %zu transfers\n", label_.c_str(),
                static_cast<unsigned long long>(seed_), deposits_.size(), withdrawals_.size(), checked, refused,
                transfers.size());
  }

  Money& m_;
  std::vector<int> tasks_;
  std::string admin_, label_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  std::mutex mu_;
  std::vector<std::string> tokens_;
  std::vector<std::string> payout_accounts_;  // each user's, where their withdrawals go
  std::vector<Deposit> deposits_;
  std::vector<Withdrawal> withdrawals_;
  static inline std::int64_t counter_ = 0;
};

void run_seeds(Money& m, const std::vector<int>& tasks, const std::string& label) {
  const auto admin = m.admin("model-admin@example.ng");
  const int seeds = env_int("B2W_MODEL_SEEDS", 6), ops = env_int("B2W_MODEL_OPS", 60);
  const int first = env_int("B2W_MODEL_FIRST_SEED", 1);
  for (int seed = first; seed < first + seeds && !::testing::Test::HasFailure(); ++seed)
    ModelRun(m, tasks, admin, label, static_cast<std::uint64_t>(seed)).run(ops);
}

Env model_env() {
  return Env{{"WITHDRAWAL_REVIEW_THRESHOLD", std::to_string(kReviewThreshold)}};
}

}  // namespace

TEST(PaymentsModel, RandomInterleavingsMatchTheModelSqlite) {
  Money m(model_env());
  ASSERT_TRUE(m.server().started());
  run_seeds(m, {m.port()}, "sqlite");
}

TEST(PaymentsModel, RandomInterleavingsMatchTheModelPostgresTwoTasks) {
  PgServer pg;
  pg.create_database("model");
  auto env = model_env();
  env["DATABASE_URL"] = pg.url("model");
  Money m(env);
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  ServerProcess second(m.env());
  ASSERT_TRUE(second.started());
  run_seeds(m, {m.port(), second.port()}, "postgres");
}
