// The trading feed over HTTP on the real binary (POST /feed/messages, sportsbook/feed.cpp), on SQLite and on
// PostgreSQL: its signature, events and markets created and changed by the provider's ids, duplicates and gaps,
// bet_stop, settlement and cancellation paying through the ledger exactly once, rollbacks left for an operator.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "feed_messages.hpp"
#include "harness.hpp"
#include "money_server.hpp"
#include "pg_server.hpp"
#include "ws_client.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

namespace {

const std::string kFeedSecret = "feed-test-secret-0123456789";

object fixture(const std::string& event, std::int64_t sequence, const std::string& home, const std::string& away,
               const std::string& status = "not_started") {
  auto m = feed_head("fixture_change", event, sequence);
  m["sport"] = "football";
  m["home"] = home;
  m["away"] = away;
  m["start_time"] = in_hours(3);
  m["status"] = status;
  return m;
}

// A 1X2 market, created on first sight (names given) or changed.
object odds(const std::string& event, std::int64_t sequence, const std::string& market, const std::string& home,
            const std::string& draw, const std::string& away, const std::string& status = "active") {
  auto m = feed_head("odds_change", event, sequence);
  m["markets"] = array{object{{"id", market},
                              {"name", "Match result"},
                              {"status", status},
                              {"outcomes", array{feed_outcome("1", home, "Home"), feed_outcome("X", draw, "Draw"),
                                                 feed_outcome("2", away, "Away")}}}};
  return m;
}

struct FeedClient {
  Money& m;

  std::optional<HttpResponse> send(const std::string& body, const std::optional<std::string>& signature) {
    Client c(m.port(), 30s);
    std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
    if (signature) h["X-Feed-Signature"] = *signature;
    return c.request("POST", "/api/v1/feed/messages", h, body);
  }
  // A signed batch; its answer (200 expected).
  object post(const array& messages) {
    const auto body = boost::json::serialize(object{{"messages", messages}});
    auto r = send(body, feed_signature(kFeedSecret, body));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return r && r->status == 200 ? json_of(*r) : object{};
  }
  object event(const std::string& id) {
    auto r = get(m.port(), "/api/v1/events/" + id);
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
    return json_of(*r);
  }
  // Our id of the listed event whose home team is `home`.
  std::string event_of(const std::string& home) {
    for (const auto& e : events())
      if (e.at("home").as_string() == home) return std::string(e.at("id").as_string());
    ADD_FAILURE() << "no event with home team " << home;
    return "";
  }
  // The events the public catalogue lists.
  std::vector<object> events() {
    auto r = get(m.port(), "/api/v1/events?limit=100");
    std::vector<object> out;
    const auto page = json_of(*r);
    for (const auto& e : page.at("data").as_array()) out.push_back(e.as_object());
    return out;
  }
};

std::int64_t count(const object& answer, const char* field) {
  return answer.contains(field) ? answer.at(field).as_int64() : -1;
}

const object& market_at(const object& event, std::size_t i) {
  return event.at("markets").as_array()[i].as_object();
}
std::string odds_at(const object& market, std::size_t i) {
  return std::string(market.at("selections").as_array()[i].as_object().at("odds").as_string());
}
std::string selection_at(const object& market, std::size_t i) {
  return std::string(market.at("selections").as_array()[i].as_object().at("id").as_string());
}

std::optional<HttpResponse> bet(Money& m, const std::string& token, std::int64_t stake, const std::string& selection,
                                const std::string& odds, const std::string& key) {
  array legs{object{{"selection_id", selection}, {"odds", odds}}};
  return m.post("/api/v1/bets", {{"stake", stake}, {"legs", legs}}, token, key);
}

Env feed_env(const Env& extra = {}) {
  Env env{{"FEED_HMAC_SECRET", kFeedSecret}, {"FEED_MAX_BATCH", "50"}, {"FEED_PROVIDER", "betradar"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return env;
}

Env on_postgres(PgServer& pg, const std::string& name, const Env& extra = {}) {
  pg.create_database(name);
  Env env{{"DATABASE_URL", pg.url(name)}, {"DB_POOL_MAX", "20"}, {"DB_ACQUIRE_TIMEOUT", "60s"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return feed_env(env);
}

void signature_and_body_rules(Money& m) {
  FeedClient feed{m};
  const auto body = boost::json::serialize(object{{"messages", array{fixture("sr:match:1", 1, "Enyimba", "Remo")}}});
  for (const std::optional<std::string>& bad : std::vector<std::optional<std::string>>{
           std::nullopt, std::string(""), std::string(64, '0'), feed_signature("another-secret", body),
           feed_signature(kFeedSecret, body + " ")}) {
    auto r = feed.send(body, bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(code_of(*r), "invalid_signature");
  }
  EXPECT_TRUE(feed.events().empty()) << "nothing applied without a valid signature";

  // Upper-case hex is the same signature.
  std::string upper = feed_signature(kFeedSecret, body);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto ok = feed.send(body, upper);
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(feed.events().size(), 1u);

  // A body that is not a batch, or too big a batch: refused whole, nothing applied.
  const std::string not_json = "{\"messages\": [";
  EXPECT_EQ(feed.send(not_json, feed_signature(kFeedSecret, not_json))->status, 400);
  array many;
  for (int i = 0; i < 51; ++i) many.push_back(fixture("sr:match:" + std::to_string(100 + i), 1, "A", "B"));
  const auto too_many = boost::json::serialize(object{{"messages", many}});
  auto refused = feed.send(too_many, feed_signature(kFeedSecret, too_many));
  EXPECT_EQ(refused->status, 422) << refused->body;
  EXPECT_EQ(feed.events().size(), 1u);

  // A bad message is rejected with its reason; the others apply.
  auto mixed = feed.post(array{object{{"type", "goal"}}, fixture("sr:match:2", 1, "Kano Pillars", "Lobi Stars"),
                               odds("sr:match:404", 1, "1", "2.00", "3.00", "4.00")});
  EXPECT_EQ(count(mixed, "applied"), 1);
  EXPECT_EQ(count(mixed, "rejected"), 2);
  const auto& rejections = mixed.at("rejections").as_array();
  ASSERT_EQ(rejections.size(), 2u);
  EXPECT_EQ(rejections[0].as_object().at("index").as_int64(), 0);
  EXPECT_EQ(rejections[1].as_object().at("index").as_int64(), 2);
  EXPECT_NE(std::string(rejections[1].as_object().at("reason").as_string()).find("unknown event"), std::string::npos);
}

void catalogue_sequences_and_bet_stop(Money& m) {
  FeedClient feed{m};
  const std::string ev = "sr:match:77";
  auto created = feed.post(array{fixture(ev, 10, "Enyimba", "Rivers United")});
  EXPECT_EQ(count(created, "applied"), 1);
  auto listed = feed.events();
  ASSERT_EQ(listed.size(), 1u);
  const std::string event_id(listed[0].at("id").as_string());
  EXPECT_EQ(listed[0].at("name").as_string(), "Enyimba vs Rivers United");
  EXPECT_EQ(listed[0].at("status").as_string(), "scheduled");

  // Updated by the provider's id: a new name; no second event.
  auto renamed = feed_head("fixture_change", ev, 11);
  renamed["name"] = "Enyimba FC vs Rivers United";
  EXPECT_EQ(count(feed.post(array{renamed}), "applied"), 1);
  EXPECT_EQ(feed.event(event_id).at("name").as_string(), "Enyimba FC vs Rivers United");
  EXPECT_EQ(feed.events().size(), 1u);

  // odds_change creates the market with its selections, then changes odds (the version follows).
  EXPECT_EQ(count(feed.post(array{odds(ev, 12, "1", "1.85", "3.20", "4.50")}), "applied"), 1);
  auto e = feed.event(event_id);
  ASSERT_EQ(e.at("markets").as_array().size(), 1u);
  EXPECT_EQ(market_at(e, 0).at("name").as_string(), "Match result");
  EXPECT_EQ(market_at(e, 0).at("status").as_string(), "open");
  EXPECT_EQ(market_at(e, 0).at("version").as_int64(), 1);
  EXPECT_EQ(market_at(e, 0).at("live").as_bool(), false);
  EXPECT_EQ(odds_at(market_at(e, 0), 0), "1.85");
  EXPECT_EQ(odds_at(market_at(e, 0), 2), "4.50");
  const std::string market_id(market_at(e, 0).at("id").as_string());
  const std::string home = selection_at(market_at(e, 0), 0);

  auto moved = feed_head("odds_change", ev, 13);
  moved["markets"] =
      array{object{{"id", "1"}, {"outcomes", array{feed_outcome("1", "1.90"), feed_outcome("2", "4.20")}}}};
  EXPECT_EQ(count(feed.post(array{moved}), "applied"), 1);
  e = feed.event(event_id);
  EXPECT_EQ(market_at(e, 0).at("version").as_int64(), 2);
  EXPECT_EQ(odds_at(market_at(e, 0), 0), "1.90");
  EXPECT_EQ(odds_at(market_at(e, 0), 1), "3.20");
  EXPECT_EQ(odds_at(market_at(e, 0), 2), "4.20");

  // The same sequence again, and an older one: duplicates, ignored (the odds they carry are not applied).
  auto dup = feed.post(array{odds(ev, 13, "1", "9.00", "9.00", "9.00"), odds(ev, 5, "1", "8.00", "8.00", "8.00")});
  EXPECT_EQ(count(dup, "duplicates"), 2);
  EXPECT_EQ(count(dup, "applied"), 0);
  e = feed.event(event_id);
  EXPECT_EQ(odds_at(market_at(e, 0), 0), "1.90");
  EXPECT_EQ(market_at(e, 0).at("version").as_int64(), 2);

  // A gap: applied and counted; the one after it continues from there.
  auto gap = feed.post(array{odds(ev, 20, "1", "2.00", "3.10", "3.90")});
  EXPECT_EQ(count(gap, "applied"), 1);
  EXPECT_EQ(count(gap, "gaps"), 1);
  EXPECT_EQ(odds_at(market_at(feed.event(event_id), 0), 0), "2.00");
  EXPECT_EQ(count(feed.post(array{odds(ev, 21, "1", "2.05", "3.10", "3.90")}), "gaps"), 0);
  EXPECT_EQ(count(feed.post(array{odds(ev, 19, "1", "7.00", "3.10", "3.90")}), "duplicates"), 1);

  // An unknown outcome on a known market rejects the message whole.
  auto stranger = feed_head("odds_change", ev, 22);
  stranger["markets"] =
      array{object{{"id", "1"}, {"outcomes", array{feed_outcome("1", "1.50"), feed_outcome("9", "5.00")}}}};
  auto refused = feed.post(array{stranger});
  EXPECT_EQ(count(refused, "rejected"), 1);
  EXPECT_EQ(odds_at(market_at(feed.event(event_id), 0), 0), "2.05");

  // A bet at the feed's odds, then bet_stop: the market suspends and takes no bet.
  const auto punter = m.user("live@example.ng");
  m.fund(punter, 100'000, "fund-live");
  ASSERT_EQ(bet(m, punter, 10'000, home, "2.05", "b-1")->status, 201);
  EXPECT_EQ(count(feed.post(array{feed_head("bet_stop", ev, 23)}), "applied"), 1);
  e = feed.event(event_id);
  EXPECT_EQ(market_at(e, 0).at("status").as_string(), "suspended");
  auto refused_bet = bet(m, punter, 10'000, home, "2.05", "b-2");
  ASSERT_EQ(refused_bet->status, 409) << refused_bet->body;
  EXPECT_EQ(code_of(*refused_bet), "market_suspended");
  // odds_change with status active reopens it.
  EXPECT_EQ(count(feed.post(array{odds(ev, 24, "1", "2.05", "3.10", "3.90")}), "applied"), 1);
  EXPECT_EQ(market_at(feed.event(event_id), 0).at("status").as_string(), "open");
  EXPECT_EQ(bet(m, punter, 10'000, home, "2.05", "b-3")->status, 201);

  // In play: the event goes live and its markets with it (versions bump), for the in-play delay to come.
  const auto before = market_at(feed.event(event_id), 0).at("version").as_int64();
  auto live = feed_head("fixture_change", ev, 25);
  live["status"] = "live";
  EXPECT_EQ(count(feed.post(array{live}), "applied"), 1);
  e = feed.event(event_id);
  EXPECT_EQ(e.at("status").as_string(), "live");
  EXPECT_EQ(market_at(e, 0).at("live").as_bool(), true);
  EXPECT_EQ(market_at(e, 0).at("version").as_int64(), before + 1);
  // A market created while the event is live is live.
  auto second = odds(ev, 26, "18|total=2.5", "1.70", "2.10", "2.10");
  EXPECT_EQ(count(feed.post(array{second}), "applied"), 1);
  e = feed.event(event_id);
  ASSERT_EQ(e.at("markets").as_array().size(), 2u);
  EXPECT_EQ(market_at(e, 1).at("live").as_bool(), true);
  // A finished event cannot go back.
  auto ended = feed_head("fixture_change", ev, 27);
  ended["status"] = "ended";
  EXPECT_EQ(count(feed.post(array{ended}), "applied"), 1);
  auto back = feed_head("fixture_change", ev, 28);
  back["status"] = "live";
  EXPECT_EQ(count(feed.post(array{back}), "rejected"), 1);
  EXPECT_EQ(feed.event(event_id).at("status").as_string(), "finished");
  EXPECT_EQ(m.verify_ledger(), 0);
}

void settlement_cancel_and_rollback(Money& m) {
  FeedClient feed{m};
  const std::string ev = "sr:match:9";
  feed.post(array{fixture(ev, 1, "Shooting Stars", "Heartland"), odds(ev, 2, "1", "2.00", "3.00", "4.00"),
                  odds(ev, 3, "2", "1.50", "4.00", "6.00")});
  const auto e = feed.event(feed.event_of("Shooting Stars"));
  ASSERT_EQ(e.at("markets").as_array().size(), 2u);
  // Created in one transaction, the two markets have the same creation time: told apart by their odds.
  const bool first_is_result = odds_at(market_at(e, 0), 0) == "2.00";
  const auto& result = market_at(e, first_is_result ? 0 : 1);
  const auto& other = market_at(e, first_is_result ? 1 : 0);
  const auto winner = m.user("winner@example.ng");
  const auto loser = m.user("loser@example.ng");
  const auto refunded = m.user("refunded@example.ng");
  m.fund(winner, 100'000, "f-w");
  m.fund(loser, 100'000, "f-l");
  m.fund(refunded, 100'000, "f-r");
  ASSERT_EQ(bet(m, winner, 10'000, selection_at(result, 0), "2.00", "w")->status, 201);
  ASSERT_EQ(bet(m, loser, 20'000, selection_at(result, 2), "4.00", "l")->status, 201);
  ASSERT_EQ(bet(m, refunded, 30'000, selection_at(other, 1), "4.00", "r")->status, 201);

  auto settle = feed_head("bet_settlement", ev, 4);
  settle["markets"] = array{object{{"id", "1"}, {"winning", array{"1"}}}};
  auto settled = feed.post(array{settle});
  EXPECT_EQ(count(settled, "applied"), 1) << boost::json::serialize(settled);
  EXPECT_EQ(m.wallet(winner)["balance"].as_int64(), 110'000);  // 100,000 - 10,000 + 20,000
  EXPECT_EQ(m.wallet(loser)["balance"].as_int64(), 80'000);
  const auto after = feed.event(std::string(e.at("id").as_string()));
  EXPECT_EQ(market_at(after, first_is_result ? 0 : 1).at("status").as_string(), "settled");
  // Sent again: a duplicate; nobody is paid twice.
  EXPECT_EQ(count(feed.post(array{settle}), "duplicates"), 1);
  EXPECT_EQ(m.wallet(winner)["balance"].as_int64(), 110'000);
  // Other results for a settled market are refused (the settlement's own rule).
  auto changed = feed_head("bet_settlement", ev, 5);
  changed["markets"] = array{object{{"id", "1"}, {"winning", array{"2"}}}};
  auto conflict = feed.post(array{changed});
  EXPECT_EQ(count(conflict, "rejected"), 1);
  EXPECT_EQ(m.wallet(loser)["balance"].as_int64(), 80'000);
  // Odds for a settled market change nothing.
  EXPECT_EQ(count(feed.post(array{odds(ev, 5, "1", "9.00", "9.00", "9.00")}), "applied"), 1);
  EXPECT_EQ(odds_at(market_at(feed.event(std::string(e.at("id").as_string())), first_is_result ? 0 : 1), 0), "2.00");

  // bet_cancel voids the other market: the stake comes back.
  auto cancel = feed_head("bet_cancel", ev, 6);
  cancel["markets"] = array{"2"};
  EXPECT_EQ(count(feed.post(array{cancel}), "applied"), 1);
  EXPECT_EQ(m.wallet(refunded)["balance"].as_int64(), 100'000);
  EXPECT_EQ(m.wallet(refunded)["in_play"].as_int64(), 0);
  EXPECT_EQ(
      market_at(feed.event(std::string(e.at("id").as_string())), first_is_result ? 1 : 0).at("status").as_string(),
      "void");

  // A rollback is recorded for an operator; no money moves.
  auto rollback = feed_head("rollback_bet_settlement", ev, 7);
  rollback["markets"] = array{"1"};
  auto rolled = feed.post(array{rollback});
  EXPECT_EQ(count(rolled, "needs_operator"), 1);
  EXPECT_EQ(count(rolled, "applied"), 0);
  EXPECT_EQ(m.wallet(winner)["balance"].as_int64(), 110'000);
  EXPECT_EQ(count(feed.post(array{rollback}), "duplicates"), 1);
  EXPECT_EQ(m.verify_ledger(), 0);

  // The operator's view: the rollback with our market id, for traders only.
  const auto trader = m.staff("rollback-desk@bet2wealth.co", "trader");
  const auto listed = m.get_auth("/api/v1/admin/feed/rollbacks?limit=1", trader);
  ASSERT_TRUE(listed && listed->status == 200) << (listed ? listed->body : "");
  const auto page = json_of(*listed);
  ASSERT_EQ(page.at("data").as_array().size(), 1u);
  const auto& row = page.at("data").as_array()[0].as_object();
  EXPECT_EQ(row.at("provider_event_id").as_string(), ev);
  EXPECT_EQ(row.at("provider_market_id").as_string(), "1");
  EXPECT_EQ(row.at("market_id").as_string(), result.at("id").as_string());
  EXPECT_EQ(row.at("sequence").as_int64(), 7);
  EXPECT_TRUE(page.at("next_cursor").is_null()) << "one rollback recorded, not two";
  const auto player = m.get_auth("/api/v1/admin/feed/rollbacks", winner);
  ASSERT_TRUE(player);
  EXPECT_EQ(player->status, 403);
}

// Two events' messages interleaved, each event's out of order within the batch: each applies in its order.
void interleaved_batch(Money& m) {
  FeedClient feed{m};
  auto answer = feed.post(array{
      odds("sr:match:B", 2, "1", "2.50", "3.00", "2.80"), fixture("sr:match:A", 1, "Abia Warriors", "Niger Tornadoes"),
      odds("sr:match:A", 3, "1", "1.60", "3.50", "5.00"), fixture("sr:match:B", 1, "Bayelsa United", "Plateau United"),
      odds("sr:match:A", 2, "1", "1.70", "3.40", "4.80"), odds("sr:match:B", 3, "1", "2.40", "3.00", "2.90")});
  EXPECT_EQ(count(answer, "applied"), 6) << boost::json::serialize(answer);
  EXPECT_EQ(count(answer, "rejected"), 0);
  const auto events = feed.events();
  ASSERT_EQ(events.size(), 2u);
  for (const auto& listed : events) {
    const auto e = feed.event(std::string(listed.at("id").as_string()));
    ASSERT_EQ(e.at("markets").as_array().size(), 1u);
    const auto& market = market_at(e, 0);
    EXPECT_EQ(market.at("version").as_int64(), 2);  // created by sequence 2, changed by sequence 3
    const bool a = std::string(e.at("home").as_string()) == "Abia Warriors";
    EXPECT_EQ(odds_at(market, 0), a ? "1.60" : "2.40");
  }
}

// Two feed requests creating the same new events at once: each event is created once, each message applied once.
void concurrent_creation(Money& m) {
  array batch;
  for (int i = 0; i < 20; ++i) {
    const auto ev = "sr:match:c" + std::to_string(i);
    batch.push_back(fixture(ev, 1, "Concurrent " + std::to_string(i), "Away"));
    batch.push_back(odds(ev, 2, "1", "1.90", "3.30", "4.10"));
  }
  object answers[2];
  std::thread other([&] {
    FeedClient feed{m};
    answers[1] = feed.post(batch);
  });
  FeedClient feed{m};
  answers[0] = feed.post(batch);
  other.join();
  EXPECT_EQ(count(answers[0], "applied") + count(answers[1], "applied"), 40)
      << boost::json::serialize(answers[0]) << boost::json::serialize(answers[1]);
  EXPECT_EQ(count(answers[0], "duplicates") + count(answers[1], "duplicates"), 40);
  const auto events = feed.events();
  EXPECT_EQ(events.size(), 20u);
  for (const auto& e : events) EXPECT_EQ(e.at("markets").as_array().size(), 1u) << e.at("home").as_string();
}

}  // namespace

TEST(Feed, ConcurrentRequestsCreateEachEventOnce) {
  Money m(feed_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  concurrent_creation(m);
}

TEST(Feed, OffWithoutItsSecret) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  FeedClient feed{m};
  const std::string body = "{\"messages\":[]}";
  auto r = feed.send(body, feed_signature("", body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(code_of(*r), "feed_disabled");
}

TEST(Feed, SignatureAndBodyRules) {
  Money m(feed_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  signature_and_body_rules(m);
}

TEST(Feed, CatalogueSequencesAndBetStop) {
  Money m(feed_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  catalogue_sequences_and_bet_stop(m);
}

TEST(Feed, SettlementCancelAndRollback) {
  Money m(feed_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  settlement_cancel_and_rollback(m);
}

TEST(Feed, InterleavedBatch) {
  Money m(feed_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  interleaved_batch(m);
}

// What the feed changes reaches the live push as an admin's change does: odds with the market's version, a
// bet_stop's suspension, the event going live; in both transaction shapes.
void changes_reach_subscribers(Money& m) {
  FeedClient feed{m};
  const std::string ev = "sr:match:500";
  feed.post(array{fixture(ev, 1, "Kano Pillars", "Shooting Stars"), odds(ev, 2, "1", "1.85", "3.20", "4.50")});
  const auto event_id = feed.event_of("Kano Pillars");
  const std::string market_id(market_at(feed.event(event_id), 0).at("id").as_string());

  WsClient ws(m.port());
  ASSERT_TRUE(ws.open());
  ws.send({{"op", "subscribe"}, {"events", array{event_id.c_str()}}});
  ASSERT_TRUE(ws.wait_type("subscribed", 20s));

  auto moved = feed_head("odds_change", ev, 3);
  moved["markets"] = array{object{{"id", "1"}, {"outcomes", array{feed_outcome("1", "1.95")}}}};
  EXPECT_EQ(count(feed.post(array{moved}), "applied"), 1);
  auto pushed = ws.wait_type("odds", 20s);
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->at("market_id").as_string(), market_id);
  EXPECT_EQ(pushed->at("version").as_int64(), 2);
  EXPECT_EQ(pushed->at("market").as_object().at("selections").as_array()[0].as_object().at("odds").as_string(), "1.95");

  EXPECT_EQ(count(feed.post(array{feed_head("bet_stop", ev, 4)}), "applied"), 1);
  auto stopped = ws.wait_type("market_status", 20s);
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->at("market").as_object().at("status").as_string(), "suspended");
  EXPECT_EQ(stopped->at("version").as_int64(), 3);

  EXPECT_EQ(count(feed.post(array{fixture(ev, 5, "Kano Pillars", "Shooting Stars", "live")}), "applied"), 1);
  auto live = ws.wait_type("event_status", 20s);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->at("event").as_object().at("status").as_string(), "live");
  auto live_market = ws.wait_type("market_status", 20s);
  ASSERT_TRUE(live_market) << "the event's markets went live";
  EXPECT_EQ(live_market->at("market").as_object().at("live").as_bool(), true);
}

TEST(Feed, ChangesReachLiveSubscribers) {
  Money m(feed_env());
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  changes_reach_subscribers(m);
}

TEST(Feed, ChangesReachLiveSubscribersFromOneBatchTransaction) {
  Money m(feed_env({{"FEED_TRANSACTION", "batch"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  changes_reach_subscribers(m);
}

TEST(Feed, InterleavedBatchInOneTransaction) {
  Money m(feed_env({{"FEED_TRANSACTION", "batch"}}));
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  interleaved_batch(m);
  settlement_cancel_and_rollback(m);
}

TEST(Feed, OnPostgres) {
  PgServer pg;
  {
    Money m(on_postgres(pg, "feed_rules"));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    signature_and_body_rules(m);
  }
  {
    Money m(on_postgres(pg, "feed_catalogue"));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    catalogue_sequences_and_bet_stop(m);
  }
  {
    Money m(on_postgres(pg, "feed_settle"));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    settlement_cancel_and_rollback(m);
  }
  {
    Money m(on_postgres(pg, "feed_batch", {{"FEED_TRANSACTION", "batch"}}));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    interleaved_batch(m);
  }
  for (const std::string shape : {"event", "batch"}) {
    Money m(on_postgres(pg, "feed_concurrent_" + shape, {{"FEED_TRANSACTION", shape}}));
    ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
    concurrent_creation(m);
  }
}
