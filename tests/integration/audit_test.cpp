// The audit trail over HTTP on the real binary: admin changes recorded with their actor, before and after
// and request id; refused changes recording nothing; `bet2wealth audit verify` before and after the SQLite
// file is tampered with.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "harness.hpp"
#include "money_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

std::string str(const boost::json::value& v) {
  return std::string(v.as_string());
}

// What someone with the database file can do: past the triggers that keep the service append-only.
void tamper(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  const std::string script =
      "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; " + sql;
  const int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

struct Audited {
  Money& m;
  std::string admin;

  // The audit trail's records, newest first, following every cursor.
  std::vector<object> records(const std::string& query = "", int limit = 100) {
    std::vector<object> out;
    std::string cursor;
    for (int pages = 0; pages < 50; ++pages) {
      std::string path = "/api/v1/admin/audit?limit=" + std::to_string(limit) + query;
      if (!cursor.empty()) path += "&cursor=" + cursor;
      auto r = m.get_auth(path, admin);
      EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
      if (!r || r->status != 200) break;
      auto page = json_of(*r);
      for (auto& item : page["data"].as_array()) out.push_back(item.as_object());
      if (page["next_cursor"].is_null()) break;
      cursor = str(page["next_cursor"]);
    }
    return out;
  }
  std::vector<std::string> actions(const std::string& query = "") {
    std::vector<std::string> out;
    for (auto& r : records(query)) out.push_back(str(r["action"]));
    return out;
  }
};

TEST(Audit, AdminChangesAreRecordedWithActorBeforeAfterAndRequestId) {
  Money m(Env{{"WITHDRAWAL_REVIEW_THRESHOLD", "50000"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Audited a{m, m.admin("trader@bet2wealth.co")};
  const auto me = json_of(*m.get_auth("/api/v1/users/me", a.admin));
  const auto admin_id = str(me.at("id"));

  auto created = m.post(
      "/api/v1/admin/events",
      {{"sport", "football"}, {"home", "Enyimba"}, {"away", "Rivers United"}, {"starts_at", in_hours(2)}}, a.admin, "");
  ASSERT_EQ(created->status, 201) << created->body;
  const auto event_id = str(json_of(*created)["id"]);
  boost::json::array selections{object{{"name", "Home"}, {"odds", "1.85"}}, object{{"name", "Away"}, {"odds", "2.10"}}};
  auto market_r = m.post("/api/v1/admin/events/" + event_id + "/markets",
                         {{"name", "Winner"}, {"selections", selections}}, a.admin, "");
  ASSERT_EQ(market_r->status, 201) << market_r->body;
  const auto market = json_of(*market_r);
  const auto market_id = str(market.at("id"));
  const auto home = str(market.at("selections").as_array()[0].as_object().at("id"));
  const auto away = str(market.at("selections").as_array()[1].as_object().at("id"));
  boost::json::array odds{object{{"id", home}, {"odds", "1.90"}}};
  auto moved = m.call("PATCH", "/api/v1/admin/markets/" + market_id, {{"selections", odds}}, a.admin);
  ASSERT_EQ(moved->status, 200) << moved->body;
  auto settled = m.post("/api/v1/admin/markets/" + market_id + "/settle",
                        {{"results", object{{home, "won"}, {away, "lost"}}}}, a.admin, "");
  ASSERT_EQ(settled->status, 200) << settled->body;

  const auto player = m.user("whale@example.ng");
  m.fund(player, 200000, "fund-1");
  auto big = m.post("/api/v1/wallet/withdrawals", m.withdrawal(player, 80000), player, "big-1");
  auto big2 = m.post("/api/v1/wallet/withdrawals", m.withdrawal(player, 60000), player, "big-2");
  ASSERT_EQ(big->status, 201);
  ASSERT_EQ(big2->status, 201);
  const auto approve_id = str(json_of(*big)["id"]), reject_id = str(json_of(*big2)["id"]);
  ASSERT_EQ(m.post("/api/v1/admin/withdrawals/" + approve_id + "/approve", {}, a.admin, "")->status, 200);
  ASSERT_EQ(m.post("/api/v1/admin/withdrawals/" + reject_id + "/reject", {}, a.admin, "")->status, 200);

  EXPECT_EQ(run_binary(m.env(), {"admin", "lock", "--email", "whale@example.ng"}, 10s).status, 0);
  EXPECT_EQ(run_binary(m.env(), {"admin", "unlock", "--email", "whale@example.ng"}, 10s).status, 0);

  // Newest first, each change once.
  auto all = a.records();
  std::vector<std::string> actions;
  for (auto r : all) actions.push_back(str(r["action"]));
  EXPECT_EQ(actions, (std::vector<std::string>{"user.unlock", "user.lock", "withdrawal.reject", "withdrawal.approve",
                                               "market.settle", "market.update", "market.create", "event.create"}));
  ASSERT_EQ(all.size(), 8u);

  auto event_record = all[7];
  EXPECT_EQ(str(event_record["actor_id"]), admin_id);
  EXPECT_EQ(str(event_record["actor_role"]), "superadmin") << "the role that acted, as the database says";
  EXPECT_EQ(str(event_record["entity_type"]), "event");
  EXPECT_EQ(str(event_record["entity_id"]), event_id);
  EXPECT_EQ(str(event_record["request_id"]), created->header("x-request-id")) << "leads to the request's logs";
  EXPECT_TRUE(event_record["before"].is_null());
  EXPECT_EQ(str(event_record["after"].as_object()["home"]), "Enyimba");
  EXPECT_EQ(str(event_record["after"].as_object()["status"]), "scheduled");

  auto odds_record = all[5];
  EXPECT_EQ(str(odds_record["request_id"]), moved->header("x-request-id"));
  EXPECT_EQ(boost::json::serialize(odds_record["before"]), R"({"odds":{")" + home + R"(":"1.85"}})");
  EXPECT_EQ(boost::json::serialize(odds_record["after"]), R"({"odds":{")" + home + R"(":"1.90"}})");

  auto settle_record = all[4];
  EXPECT_EQ(str(settle_record["before"].as_object()["status"]), "open");
  EXPECT_EQ(str(settle_record["after"].as_object()["status"]), "settled");
  EXPECT_EQ(str(settle_record["after"].as_object()["results"].as_object()[home]), "won");

  auto approve_record = all[3];
  EXPECT_EQ(str(approve_record["entity_id"]), approve_id);
  EXPECT_EQ(str(approve_record["before"].as_object()["status"]), "awaiting_review");
  EXPECT_EQ(str(approve_record["after"].as_object()["status"]), "pending");
  EXPECT_EQ(str(all[2]["after"].as_object()["status"]), "rejected");

  auto lock_record = all[1];
  EXPECT_EQ(str(lock_record["actor_id"]), "cli");
  EXPECT_TRUE(lock_record["request_id"].is_null());
  EXPECT_EQ(boost::json::serialize(lock_record["before"]), R"({"locked":false})");
  EXPECT_EQ(boost::json::serialize(lock_record["after"]), R"({"locked":true,"reason":"command line"})");
  EXPECT_EQ(boost::json::serialize(all[0]["after"]), R"({"locked":false,"reason":"command line"})");

  // The chain: each record names the one before it.
  for (std::size_t i = 0; i + 1 < all.size(); ++i) {
    EXPECT_EQ(all[i]["seq"].as_int64(), all[i + 1]["seq"].as_int64() + 1);
    EXPECT_EQ(str(all[i]["prev_hash"]), str(all[i + 1]["hash"]));
  }

  // Filters and small pages.
  EXPECT_EQ(a.actions("&entity=market:" + market_id),
            (std::vector<std::string>{"market.settle", "market.update", "market.create"}));
  EXPECT_EQ(a.actions("&entity=withdrawal"), (std::vector<std::string>{"withdrawal.reject", "withdrawal.approve"}));
  EXPECT_EQ(a.actions("&actor=cli"), (std::vector<std::string>{"user.unlock", "user.lock"}));
  EXPECT_EQ(a.records("&actor=" + admin_id).size(), 6u);
  EXPECT_EQ(a.records("&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z").size(), 0u);
  std::set<std::string> ids;
  for (auto r : a.records("", 3)) ids.insert(str(r["id"]));
  EXPECT_EQ(ids.size(), 8u) << "pages of 3 reach every record once";

  // Only administrators read it; bad filters are 422.
  EXPECT_EQ(m.get_auth("/api/v1/admin/audit", m.user("punter@example.ng"))->status, 403);
  EXPECT_EQ(m.get_auth("/api/v1/admin/audit?entity=:x", a.admin)->status, 422);
  EXPECT_EQ(m.get_auth("/api/v1/admin/audit?from=yesterday", a.admin)->status, 422);
  EXPECT_EQ(m.get_auth("/api/v1/admin/audit?limit=0", a.admin)->status, 422);

  const auto verified = run_binary(m.env(), {"audit", "verify"}, 20s);
  EXPECT_EQ(verified.status, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("intact: 8 records"), std::string::npos) << verified.out;
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(Audit, RefusedChangesRecordNothing) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Audited a{m, m.admin("trader@bet2wealth.co")};
  auto created = m.post("/api/v1/admin/events",
                        {{"sport", "football"}, {"home", "A"}, {"away", "B"}, {"starts_at", in_hours(2)}}, a.admin, "");
  ASSERT_EQ(created->status, 201);
  const auto event_id = str(json_of(*created)["id"]);
  boost::json::array selections{object{{"name", "A"}, {"odds", "1.85"}}, object{{"name", "B"}, {"odds", "2.10"}}};
  auto market_r = m.post("/api/v1/admin/events/" + event_id + "/markets",
                         {{"name", "Winner"}, {"selections", selections}}, a.admin, "");
  ASSERT_EQ(market_r->status, 201);
  const auto market_id = str(json_of(*market_r)["id"]);
  ASSERT_EQ(a.records().size(), 2u);

  // Invalid input (422), a missing entity (404), a move the state forbids (409): nothing recorded.
  EXPECT_EQ(m.post("/api/v1/admin/events", {{"sport", "curling"}, {"home", "A"}, {"away", "B"}}, a.admin, "")->status,
            422);
  boost::json::array stranger{object{{"id", "sel_nope"}, {"odds", "1.50"}}};
  EXPECT_EQ(m.call("PATCH", "/api/v1/admin/markets/" + market_id, {{"selections", stranger}}, a.admin)->status, 422);
  EXPECT_EQ(m.post("/api/v1/admin/markets/" + market_id + "/settle", {{"results", object{}}}, a.admin, "")->status,
            422);
  EXPECT_EQ(m.call("PATCH", "/api/v1/admin/markets/mkt_nope", {{"status", "suspended"}}, a.admin)->status, 404);
  EXPECT_EQ(m.post("/api/v1/admin/withdrawals/pay_nope/approve", {}, a.admin, "")->status, 404);
  EXPECT_EQ(run_binary(m.env(), {"admin", "lock", "--email", "nobody@example.ng"}, 10s).status, 1);
  EXPECT_EQ(a.actions(), (std::vector<std::string>{"market.create", "event.create"}));

  ASSERT_EQ(m.call("PATCH", "/api/v1/admin/events/" + event_id, {{"status", "finished"}}, a.admin)->status, 200);
  EXPECT_EQ(m.call("PATCH", "/api/v1/admin/events/" + event_id, {{"status", "live"}}, a.admin)->status, 409);
  EXPECT_EQ(m.post("/api/v1/admin/events/" + event_id + "/markets", {{"name", "Late"}, {"selections", selections}},
                   a.admin, "")
                ->status,
            409);
  EXPECT_EQ(a.actions(), (std::vector<std::string>{"event.update", "market.create", "event.create"}));
  EXPECT_EQ(run_binary(m.env(), {"audit", "verify"}, 20s).status, 0);
}

TEST(Audit, VerifyNamesTheFirstRecordEditedOrDeletedInTheDatabaseFile) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  Audited a{m, m.admin("trader@bet2wealth.co")};
  for (int i = 0; i < 4; ++i) {
    auto r = m.post(
        "/api/v1/admin/events",
        {{"sport", "football"}, {"home", "Home " + std::to_string(i)}, {"away", "Away"}, {"starts_at", in_hours(2)}},
        a.admin, "");
    ASSERT_EQ(r->status, 201) << r->body;
  }
  auto all = a.records();
  ASSERT_EQ(all.size(), 4u);
  auto intact = run_binary(m.env(), {"audit", "verify"}, 20s);
  EXPECT_EQ(intact.status, 0) << intact.out << intact.err;
  EXPECT_NE(intact.out.find("intact: 4 records"), std::string::npos) << intact.out;

  // An edited record: its hash no longer matches what it says.
  tamper(m.sqlite_path(), "UPDATE audit_log SET after = replace(after, 'Home 2', 'Home X') WHERE seq = 3;");
  auto edited = run_binary(m.env(), {"audit", "verify"}, 20s);
  EXPECT_EQ(edited.status, 1) << edited.out << edited.err;
  EXPECT_NE(edited.out.find("seq 3 (id " + str(all[1]["id"]) + ")"), std::string::npos) << edited.out;

  // A deleted record, before the edited one: the record after the gap is named.
  tamper(m.sqlite_path(), "DELETE FROM audit_log WHERE seq = 1;");
  auto deleted = run_binary(m.env(), {"audit", "verify"}, 20s);
  EXPECT_EQ(deleted.status, 1) << deleted.out << deleted.err;
  EXPECT_NE(deleted.out.find("seq 2 (id " + str(all[2]["id"]) + ")"), std::string::npos) << deleted.out;
  EXPECT_NE(deleted.out.find("missing"), std::string::npos) << deleted.out;
}

}  // namespace
