// The reconciler's batches (PaymentRepository::oldest_pending) on SQLite and PostgreSQL: pending payments of
// one kind, old enough, oldest first, a bounded batch at a time after a cursor.
#include <gtest/gtest.h>

#include "store/payments.hpp"
#include "store_fixture.hpp"

using namespace b2w;
using namespace b2w::test;
using domain::PaymentKind;
using domain::PaymentStatus;
using store::Awaitable;
using store::Payment;
using store::PaymentRepository;
using store::Tx;

namespace {

class PaymentsDue : public StoreWithUser {
 protected:
  void add(const std::string& id, PaymentKind kind, PaymentStatus status, std::int64_t created_at) {
    Payment p;
    p.id = id;
    p.user_id = user_;
    p.kind = kind;
    p.reference = "ref-" + id;
    p.amount = 1000;
    p.status = status;
    p.created_at = p.updated_at = created_at;
    ASSERT_TRUE(run_sync(
        transaction(*db_, [&](Tx& tx) -> Awaitable<bool> { co_return co_await PaymentRepository::insert(tx, p); })));
  }
  std::vector<std::string> ids(PaymentKind kind, std::int64_t created_by,
                               std::optional<std::pair<std::int64_t, std::string>> after, int limit) {
    PaymentRepository repo(*db_);
    std::vector<std::string> out;
    for (const auto& p : run_sync(repo.oldest_pending(kind, created_by, std::move(after), limit))) out.push_back(p.id);
    return out;
  }
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, PaymentsDue, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(PaymentsDue, PendingOfOneKindOldEnoughOldestFirstInBatchesAfterACursor) {
  add("dep_c", PaymentKind::deposit, PaymentStatus::pending, 300);
  add("dep_a", PaymentKind::deposit, PaymentStatus::pending, 100);
  add("dep_b2", PaymentKind::deposit, PaymentStatus::pending, 200);
  add("dep_b1", PaymentKind::deposit, PaymentStatus::pending, 200);
  add("dep_young", PaymentKind::deposit, PaymentStatus::pending, 900);
  add("dep_done", PaymentKind::deposit, PaymentStatus::completed, 50);
  add("dep_failed", PaymentKind::deposit, PaymentStatus::failed, 50);
  add("wd_a", PaymentKind::withdrawal, PaymentStatus::pending, 100);
  add("wd_review", PaymentKind::withdrawal, PaymentStatus::awaiting_review, 100);

  EXPECT_EQ(ids(PaymentKind::deposit, 300, std::nullopt, 10),
            (std::vector<std::string>{"dep_a", "dep_b1", "dep_b2", "dep_c"}));
  EXPECT_EQ(ids(PaymentKind::deposit, 300, std::nullopt, 2), (std::vector<std::string>{"dep_a", "dep_b1"}));
  // The next batch starts after the last one seen, even between two payments created at the same time.
  EXPECT_EQ(ids(PaymentKind::deposit, 300, std::pair<std::int64_t, std::string>{200, "dep_b1"}, 2),
            (std::vector<std::string>{"dep_b2", "dep_c"}));
  EXPECT_TRUE(ids(PaymentKind::deposit, 300, std::pair<std::int64_t, std::string>{300, "dep_c"}, 2).empty());
  EXPECT_EQ(ids(PaymentKind::withdrawal, 1000, std::nullopt, 10), (std::vector<std::string>{"wd_a"}));
  EXPECT_TRUE(ids(PaymentKind::deposit, 99, std::nullopt, 10).empty());
}
