// The audit trail (store/audit) on SQLite and PostgreSQL: appends in the caller's transaction, pages,
// concurrent appends that keep one gap-free chain, and verify finding an edited and a deleted record.
#include "store/audit.hpp"

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

#include "store_fixture.hpp"

namespace b2w::test {
namespace {

using store::AuditEntry;
using store::AuditFilter;
using store::AuditRepository;
using store::Awaitable;
using store::Tx;

class Audit : public StoreWithUser {
 protected:
  AuditEntry entry(std::string actor, std::string action, std::string type, std::string id) {
    AuditEntry e;
    e.actor = domain::Actor{std::move(actor), "admin", "req-" + std::to_string(++requests_)};
    e.action = std::move(action);
    e.entity_type = std::move(type);
    e.entity_id = std::move(id);
    e.before = R"({"status":"open"})";
    e.after = R"({"status":"suspended"})";
    return e;
  }
  domain::AuditRecord append(AuditEntry e) {
    return run_sync(store::transaction(*db_, [&](Tx& tx) -> Awaitable<domain::AuditRecord> {
      co_return co_await AuditRepository::append(tx, std::move(e));
    }));
  }
  // Runs raw SQL as the schema's owner would, past the append-only triggers: what a tamperer does.
  void tamper(const std::string& sql) {
    if (GetParam() == Backend::postgres) {
      run_sync(db_->query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"));
      run_sync(db_->query(sql));
      run_sync(db_->query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"));
    } else {
      run_sync(db_->query("DROP TRIGGER audit_log_no_update"));
      run_sync(db_->query("DROP TRIGGER audit_log_no_delete"));
      run_sync(db_->query(sql));
    }
  }
  int requests_ = 0;
};

INSTANTIATE_TEST_SUITE_P(Backends, Audit, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(Audit, AppendsChainEachRecordToThePreviousOne) {
  AuditRepository audit(*db_);
  EXPECT_EQ(run_sync(audit.verify()).records, 0);
  EXPECT_FALSE(run_sync(audit.verify()).broken);

  const auto first = append(entry(user_, "market.update", "market", "mkt_1"));
  auto e = entry("cli", "user.lock", "user", user_);
  e.actor.role = "cli";
  e.actor.request_id = "";
  e.before.reset();
  const auto second = append(e);
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, domain::kAuditGenesisHash);
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(first.id.rfind("aud_", 0), 0u);
  EXPECT_GT(first.created_at, 0);

  const auto page = run_sync(audit.page(AuditFilter{}));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, second.id) << "newest first";
  EXPECT_EQ(page[0].actor_id, "cli");
  EXPECT_EQ(page[0].request_id, "");
  EXPECT_FALSE(page[0].before);
  EXPECT_EQ(page[0].after, R"({"status":"suspended"})");
  EXPECT_EQ(page[0].hash, second.hash);
  EXPECT_EQ(page[1].actor_id, user_);
  EXPECT_EQ(page[1].actor_role, "admin");
  EXPECT_EQ(page[1].request_id, first.request_id);
  EXPECT_EQ(page[1].before, R"({"status":"open"})");
  EXPECT_EQ(page[1].hash, domain::audit_hash(page[1]));

  const auto verified = run_sync(audit.verify());
  EXPECT_EQ(verified.records, 2);
  EXPECT_FALSE(verified.broken);
}

TEST_P(Audit, ARecordRollsBackWithItsTransaction) {
  AuditRepository audit(*db_);
  append(entry(user_, "event.create", "event", "evt_1"));
  EXPECT_THROW(run_sync(store::transaction(*db_,
                                           [&](Tx& tx) -> Awaitable<void> {
                                             co_await AuditRepository::append(
                                                 tx, entry(user_, "event.update", "event", "evt_1"));
                                             throw std::runtime_error("the change failed");
                                           })),
               std::runtime_error);
  EXPECT_EQ(run_sync(audit.page(AuditFilter{})).size(), 1u);
  const auto next = append(entry(user_, "event.update", "event", "evt_1"));
  EXPECT_EQ(next.seq, 2) << "the rolled-back append left no gap";
  EXPECT_FALSE(run_sync(audit.verify()).broken);
}

TEST_P(Audit, PagesFilterByActorEntityAndTimeAndGoBackwardsFromACursor) {
  AuditRepository audit(*db_);
  for (int i = 0; i < 5; ++i) append(entry(user_, "market.update", "market", "mkt_a"));
  const auto t = store::now_micros();
  for (int i = 0; i < 3; ++i) append(entry("usr_other", "market.update", "market", "mkt_b"));
  append(entry("usr_other", "event.update", "event", "mkt_b"));

  AuditFilter by_actor;
  by_actor.actor_id = user_;
  EXPECT_EQ(run_sync(audit.page(by_actor)).size(), 5u);

  AuditFilter by_entity;
  by_entity.entity_type = "market";
  by_entity.entity_id = "mkt_b";
  EXPECT_EQ(run_sync(audit.page(by_entity)).size(), 3u);
  AuditFilter by_type;
  by_type.entity_type = "event";
  EXPECT_EQ(run_sync(audit.page(by_type)).size(), 1u);

  AuditFilter since;
  since.from = t;
  EXPECT_EQ(run_sync(audit.page(since)).size(), 4u);
  AuditFilter until;
  until.to = t;
  EXPECT_EQ(run_sync(audit.page(until)).size(), 5u);

  // Pages of 2 (each read with one more row, which tells a next page exists), newest first, no repeats.
  AuditFilter paged;
  paged.limit = 2;
  std::vector<std::int64_t> seen;
  for (int pages = 0; pages < 10; ++pages) {
    auto rows = run_sync(audit.page(paged));
    const bool more = rows.size() > 2;
    if (more) rows.pop_back();
    for (const auto& r : rows) seen.push_back(r.seq);
    if (!more) break;
    paged.before_seq = rows.back().seq;
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{9, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST_P(Audit, ParallelAppendsInSeparateTransactionsKeepOneGapFreeChain) {
  constexpr int kThreads = 8, kEach = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          run_sync(store::transaction(*db_, [&](Tx& tx) -> Awaitable<void> {
            AuditEntry e;
            e.actor = domain::Actor{"usr_" + std::to_string(t), "admin", "req"};
            e.action = "market.update";
            e.entity_type = "market";
            e.entity_id = "mkt_" + std::to_string(i);
            co_await AuditRepository::append(tx, std::move(e));
            // Hold the head a little longer, so the others queue behind it (PostgreSQL).
            if (tx.dialect() == store::Dialect::postgres) co_await tx.exec("SELECT pg_sleep(0.001)");
          }));
        } catch (...) {
          failures.fetch_add(1);
        }
      }
    });
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);

  AuditRepository audit(*db_);
  const auto verified = run_sync(audit.verify(16));  // several batches
  EXPECT_EQ(verified.records, kThreads * kEach);
  EXPECT_FALSE(verified.broken) << verified.broken->problem;
  AuditFilter all;
  all.limit = 1000;
  std::set<std::int64_t> seqs;
  for (const auto& r : run_sync(audit.page(all))) seqs.insert(r.seq);
  EXPECT_EQ(seqs.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), kThreads * kEach);
}

TEST_P(Audit, TheServiceCannotChangeOrDeleteARecord) {
  const auto r = append(entry(user_, "market.settle", "market", "mkt_1"));
  EXPECT_ANY_THROW(run_sync(db_->query("UPDATE audit_log SET after = NULL WHERE id = $1", r.id)));
  EXPECT_ANY_THROW(run_sync(db_->query("DELETE FROM audit_log WHERE id = $1", r.id)));
  EXPECT_FALSE(run_sync(AuditRepository(*db_).verify()).broken);
}

TEST_P(Audit, VerifyNamesAnEditedRecord) {
  for (int i = 0; i < 5; ++i) append(entry(user_, "market.update", "market", "mkt_1"));
  const auto page = run_sync(AuditRepository(*db_).page(AuditFilter{}));
  const auto& third = page.at(2);  // seq 3
  ASSERT_EQ(third.seq, 3);
  tamper("UPDATE audit_log SET after = '{\"status\":\"open\"}' WHERE seq = 3");
  const auto verified = run_sync(AuditRepository(*db_).verify(2));
  ASSERT_TRUE(verified.broken);
  EXPECT_EQ(verified.broken->seq, 3);
  EXPECT_EQ(verified.broken->id, third.id);
  EXPECT_EQ(verified.records, 2);
}

TEST_P(Audit, VerifyNamesTheRecordAfterADeletedOne) {
  for (int i = 0; i < 5; ++i) append(entry(user_, "market.update", "market", "mkt_1"));
  const auto page = run_sync(AuditRepository(*db_).page(AuditFilter{}));
  tamper("DELETE FROM audit_log WHERE seq = 2");
  const auto verified = run_sync(AuditRepository(*db_).verify());
  ASSERT_TRUE(verified.broken);
  EXPECT_EQ(verified.broken->seq, 3);
  EXPECT_EQ(verified.broken->id, page.at(2).id);
  EXPECT_NE(verified.broken->problem.find("missing"), std::string::npos) << verified.broken->problem;
}

TEST_P(Audit, VerifyFindsTheLastRecordsDeleted) {
  for (int i = 0; i < 3; ++i) append(entry(user_, "market.update", "market", "mkt_1"));
  tamper("DELETE FROM audit_log WHERE seq = 3");
  const auto verified = run_sync(AuditRepository(*db_).verify());
  ASSERT_TRUE(verified.broken);
  EXPECT_EQ(verified.broken->seq, 3);
  EXPECT_EQ(verified.records, 2);
}

TEST_P(Audit, VerifyFindsARecordRewrittenWithAFreshHash) {
  for (int i = 0; i < 3; ++i) append(entry(user_, "market.update", "market", "mkt_1"));
  auto second = run_sync(AuditRepository(*db_).page(AuditFilter{})).at(1);
  second.after = R"({"status":"open"})";
  second.hash = domain::audit_hash(second);
  tamper("UPDATE audit_log SET after = '{\"status\":\"open\"}', hash = '" + second.hash + "' WHERE seq = 2");
  const auto verified = run_sync(AuditRepository(*db_).verify());
  ASSERT_TRUE(verified.broken);
  EXPECT_EQ(verified.broken->seq, 3) << "the next record no longer names its hash";
}

}  // namespace
}  // namespace b2w::test
