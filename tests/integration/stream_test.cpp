// GET /stream on the real binary: the WebSocket upgrade through the pipeline, subscriptions, the
// bounds (subscriptions, message size, slow readers, idle clients), users' own bets and balance, the
// drain's 1001, and a change on one task reaching a client of another through Redis.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/array.hpp>
#include <csignal>
#include <thread>

#include "money_server.hpp"
#include "pg_server.hpp"
#include "raw_ws_client.hpp"
#include "redis_server.hpp"
#include "ws_client.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

namespace {

constexpr auto kWait = 20s;  // generous: a loaded 2-core machine

std::string str(const object& o, const char* key) {
  return std::string(o.at(key).as_string());
}

bool is_type(const object& m, const char* type) {
  return m.contains("type") && m.at("type").is_string() && m.at("type").as_string() == type;
}

// An event with one market of `selections` selections (long names make larger messages).
struct Market {
  std::string event_id, market_id;
  std::vector<std::string> selections;
};

Market make_market(Money& m, const std::string& admin, int selections = 3, int at_port = 0) {
  const int port = at_port ? at_port : m.port();
  auto ev =
      m.call_at(port, "POST", "/api/v1/admin/events",
                {{"sport", "football"}, {"home", "Enyimba"}, {"away", "Rangers"}, {"starts_at", in_hours(2)}}, admin);
  EXPECT_TRUE(ev && ev->status == 201) << (ev ? ev->body : "");
  Market out;
  out.event_id = str(json_of(*ev), "id");
  array list;
  for (int i = 0; i < selections; ++i)
    list.push_back(object{{"name", "Selection number " + std::to_string(i) + std::string(70, 'x')}, {"odds", "2.00"}});
  auto mk = m.call_at(port, "POST", "/api/v1/admin/events/" + out.event_id + "/markets",
                      {{"name", "1X2"}, {"selections", list}}, admin);
  EXPECT_TRUE(mk && mk->status == 201) << (mk ? mk->body : "");
  const auto market = json_of(*mk);
  out.market_id = str(market, "id");
  for (const auto& s : market.at("selections").as_array()) out.selections.push_back(str(s.as_object(), "id"));
  return out;
}

std::optional<HttpResponse> move_odds(Money& m, const std::string& admin, const Market& market, const std::string& odds,
                                      int at_port = 0) {
  return m.call_at(at_port ? at_port : m.port(), "PATCH", "/api/v1/admin/markets/" + market.market_id,
                   {{"selections", array{object{{"id", market.selections[0]}, {"odds", odds}}}}}, admin);
}

bool subscribe(WsClient& ws, const std::string& event_id) {
  ws.send({{"op", "subscribe"}, {"events", array{event_id.c_str()}}});
  return ws.wait_type("subscribed", kWait).has_value();
}

}  // namespace

TEST(Stream, APlainGetIs426AndTheUpgradeGoesThroughThePipeline) {
  Money m(Env{{"STREAM_ALLOWED_ORIGINS", "https://app.bet2wealth.co, https://console.bet2wealth.co"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  auto plain = get(m.port(), "/api/v1/stream");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 426);
  EXPECT_EQ(code_of(*plain), "upgrade_required");
  EXPECT_EQ(plain->header("upgrade"), "websocket");

  WsClient stranger(m.port(), "/api/v1/stream", {{"Origin", "https://evil.example"}});
  EXPECT_FALSE(stranger.open());
  EXPECT_EQ(stranger.refused_status(), 403);
  EXPECT_NE(stranger.refused_body().find("origin_not_allowed"), std::string::npos);

  WsClient app(m.port(), "/api/v1/stream", {{"Origin", "https://app.bet2wealth.co"}, {"X-Request-Id", "ws-req-1"}});
  ASSERT_TRUE(app.open());
  EXPECT_TRUE(m.server().wait_for_log("\"request_id\":\"ws-req-1\"", 10s)) << "the upgrade is in the access log";
  EXPECT_TRUE(m.server().wait_for_log("\"status\":101", 10s));
  // Unknown ops and bad JSON get an error message; the connection stays open.
  app.send({{"op", "dance"}});
  auto error = app.wait_type("error", kWait);
  ASSERT_TRUE(error);
  EXPECT_EQ(str(*error, "code"), "unknown_op");
  app.send_text("{not json");
  error = app.wait_type("error", kWait);
  ASSERT_TRUE(error);
  EXPECT_EQ(str(*error, "code"), "invalid_message");
  EXPECT_TRUE(subscribe(app, "evt_any"));
}

TEST(Stream, SubscribersGetOddsWithVersionAndSequenceUntilTheyUnsubscribe) {
  Money m(Env{{"STREAM_MAX_SUBSCRIPTIONS", "3"}, {"STREAM_MAX_MESSAGE_BYTES", "1024"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto admin = m.admin("trader@bet2wealth.co");
  const auto market = make_market(m, admin);

  WsClient a(m.port()), b(m.port());
  ASSERT_TRUE(a.open() && b.open());
  ASSERT_TRUE(subscribe(a, market.event_id));
  ASSERT_TRUE(subscribe(b, market.event_id));

  ASSERT_EQ(move_odds(m, admin, market, "1.70")->status, 200);
  auto odds = a.wait_type("odds", kWait);
  ASSERT_TRUE(odds);
  EXPECT_EQ(str(*odds, "event_id"), market.event_id);
  EXPECT_EQ(str(*odds, "market_id"), market.market_id);
  EXPECT_EQ(odds->at("version").as_int64(), 2);
  const auto first_seq = odds->at("seq").as_int64();
  EXPECT_EQ(odds->at("market").as_object().at("selections").as_array()[0].as_object().at("odds").as_string(), "1.70");
  ASSERT_TRUE(b.wait_type("odds", kWait));

  // A status change too, numbered next in the event's sequence.
  ASSERT_EQ(m.call("PATCH", "/api/v1/admin/markets/" + market.market_id, {{"status", "suspended"}}, admin)->status,
            200);
  auto status = a.wait_type("market_status", kWait);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->at("seq").as_int64(), first_seq + 1);
  EXPECT_EQ(status->at("version").as_int64(), 3);
  ASSERT_TRUE(b.wait_type("market_status", kWait));

  a.send({{"op", "unsubscribe"}, {"events", array{market.event_id.c_str()}}});
  ASSERT_TRUE(a.wait_type("unsubscribed", kWait));
  ASSERT_EQ(m.call("PATCH", "/api/v1/admin/markets/" + market.market_id, {{"status", "open"}}, admin)->status, 200);
  ASSERT_TRUE(b.wait_type("market_status", kWait)) << "b is still subscribed";
  EXPECT_FALSE(a.next(1s)) << "a unsubscribed: nothing more (b already has the message sent to both at once)";

  // Bounds: too many subscriptions is an error message, the ones held stay; a message too big closes with 1009.
  a.send({{"op", "subscribe"}, {"events", array{"e1", "e2", "e3"}}});
  ASSERT_TRUE(a.wait_type("subscribed", kWait));
  a.send({{"op", "subscribe"}, {"events", array{"e4"}}});
  auto refused = a.wait_type("error", kWait);
  ASSERT_TRUE(refused);
  EXPECT_EQ(str(*refused, "code"), "too_many_subscriptions");
  a.send_text(R"({"op":"subscribe","events":[")" + std::string(2000, 'x') + R"("]})");
  ASSERT_TRUE(a.wait_closed(kWait));
  EXPECT_EQ(a.close_code(), 1009);
  EXPECT_TRUE(subscribe(b, "e9")) << "the other client is unaffected";
}

TEST(Stream, AUserGetsTheirOwnBetsAndBalanceAndNobodyElses) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto admin = m.admin("trader@bet2wealth.co");
  const auto market = make_market(m, admin);
  const auto ada = m.user("ada@example.ng");
  const auto bayo = m.user("bayo@example.ng");
  m.fund(ada, 500'000, "fund-ada");

  WsClient bad(m.port());
  ASSERT_TRUE(bad.open());
  bad.send({{"op", "auth"}, {"token", "not-a-token"}});
  auto refused = bad.wait_type("error", kWait);
  ASSERT_TRUE(refused);
  EXPECT_EQ(str(*refused, "code"), "invalid_token");

  WsClient ada_ws(m.port()), bayo_ws(m.port());
  ada_ws.send({{"op", "auth"}, {"token", ada.c_str()}});
  ASSERT_TRUE(ada_ws.wait_type("authenticated", kWait));
  bayo_ws.send({{"op", "auth"}, {"token", bayo.c_str()}});
  ASSERT_TRUE(bayo_ws.wait_type("authenticated", kWait));

  auto placed =
      m.post("/api/v1/bets",
             {{"stake", 100'000}, {"legs", array{object{{"selection_id", market.selections[0]}, {"odds", "2.00"}}}}},
             ada, "bet-1");
  ASSERT_TRUE(placed && placed->status == 201) << (placed ? placed->body : "");
  const auto bet_id = str(json_of(*placed), "id");
  auto bet = ada_ws.wait_type("bet", kWait);
  ASSERT_TRUE(bet);
  EXPECT_EQ(str(bet->at("bet").as_object(), "id"), bet_id);
  EXPECT_EQ(str(bet->at("bet").as_object(), "status"), "open");
  auto balance = ada_ws.wait_type("balance", kWait);
  ASSERT_TRUE(balance);
  EXPECT_EQ(balance->at("balance").as_int64(), 400'000);
  const auto seq = balance->at("seq").as_int64();

  object results{{market.selections[0], "won"}};
  for (std::size_t i = 1; i < market.selections.size(); ++i) results[market.selections[i]] = "lost";
  auto settled = m.post("/api/v1/admin/markets/" + market.market_id + "/settle", {{"results", results}}, admin, "");
  ASSERT_TRUE(settled && settled->status == 200) << (settled ? settled->body : "");
  bet = ada_ws.wait_type("bet", kWait);
  ASSERT_TRUE(bet);
  EXPECT_EQ(str(bet->at("bet").as_object(), "status"), "won");
  EXPECT_EQ(bet->at("bet").as_object().at("payout").as_int64(), 200'000);
  EXPECT_EQ(bet->at("seq").as_int64(), seq + 1) << "one sequence per user";
  balance = ada_ws.wait_type("balance", kWait);
  ASSERT_TRUE(balance);
  EXPECT_EQ(balance->at("balance").as_int64(), 600'000);

  // Bayo's own bet reaches Bayo; nothing of Ada's ever did (his first message is his own).
  m.fund(bayo, 200'000, "fund-bayo");
  const auto other = make_market(m, admin);
  auto his =
      m.post("/api/v1/bets",
             {{"stake", 10'000}, {"legs", array{object{{"selection_id", other.selections[1]}, {"odds", "2.00"}}}}},
             bayo, "bet-2");
  ASSERT_TRUE(his && his->status == 201) << (his ? his->body : "");
  auto first =
      bayo_ws.wait_for([](const object& msg) { return is_type(msg, "bet") || is_type(msg, "balance"); }, kWait);
  ASSERT_TRUE(first);
  EXPECT_TRUE(is_type(*first, "bet"));
  EXPECT_EQ(str(first->at("bet").as_object(), "id"), str(json_of(*his), "id"));
}

TEST(Stream, ASlowReaderIsClosedWith4008WhileAnotherGetsEverything) {
  Money m(Env{{"STREAM_SEND_QUEUE_BYTES", "32768"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto admin = m.admin("trader@bet2wealth.co");
  const auto market = make_market(m, admin, 50);  // about 9 KB a message

  WsClient slow(m.port(), "/api/v1/stream", {}, 4096);
  WsClient fast(m.port());
  ASSERT_TRUE(slow.open() && fast.open());
  ASSERT_TRUE(subscribe(slow, market.event_id));
  ASSERT_TRUE(subscribe(fast, market.event_id));

  // Far more than the queue, the socket buffers of both ends and the reader's window hold; `slow` reads nothing
  // meanwhile.
  constexpr int kChanges = 1000;  // 9 MB: more than loopback's autotuned socket buffers (4 MB a side)
  std::atomic<int> failed{0};
  std::vector<std::thread> admins;
  for (int t = 0; t < 3; ++t)
    admins.emplace_back([&, t] {
      for (int i = t; i < kChanges; i += 3) {
        const int hundredths = 101 + i;  // every change a different price: 1.01, 1.02, ...
        const std::string odds = std::to_string(hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") +
                                 std::to_string(hundredths % 100);
        auto r = move_odds(m, admin, market, odds);
        if (!r || r->status != 200) failed.fetch_add(1);
      }
    });
  int got = 0;
  std::int64_t last_version = 0;
  while (got < kChanges) {
    auto msg = fast.wait_type("odds", 60s);
    if (!msg) break;
    ++got;
    last_version = std::max(last_version, msg->at("version").as_int64());
  }
  for (auto& a : admins) a.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(got, kChanges) << "the reader that keeps up gets every change";
  EXPECT_EQ(last_version, kChanges + 1);

  ASSERT_TRUE(slow.wait_closed(kWait)) << "received " << slow.received() << "; closed for a full queue: "
                                       << (m.server().stdout_text().find("send queue full") != std::string::npos);
  EXPECT_EQ(slow.close_code(), 4008) << slow.close_reason();
  EXPECT_NE(slow.close_reason().find("send queue full"), std::string::npos);
  EXPECT_LT(slow.received(), static_cast<std::size_t>(kChanges));
}

TEST(Stream, IdleClientsArePingedAndClosedOnesThatAnswerStay) {
  Money m(Env{{"STREAM_IDLE_TIMEOUT", "1s"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  WsClient silent(m.port()), alive(m.port());
  ASSERT_TRUE(silent.open() && alive.open());
  // `alive` reads (and so answers the server's pings) for 3 idle timeouts; `silent` reads nothing.
  EXPECT_FALSE(alive.next(3s));
  EXPECT_FALSE(alive.ended());
  EXPECT_TRUE(subscribe(alive, "evt_1")) << "pings kept it open";
  ASSERT_TRUE(silent.wait_closed(kWait));
  EXPECT_TRUE(silent.ended());
}

TEST(Stream, TheDrainClosesClientsWithGoingAway) {
  Money m(Env{{"SHUTDOWN_DRAIN_SECONDS", "1s"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  WsClient a(m.port()), b(m.port());
  ASSERT_TRUE(a.open() && b.open());
  ASSERT_TRUE(subscribe(a, "evt_1"));
  m.server().signal(SIGTERM);
  ASSERT_TRUE(a.wait_closed(kWait));
  EXPECT_EQ(a.close_code(), 1001);
  ASSERT_TRUE(b.wait_closed(kWait));
  EXPECT_EQ(b.close_code(), 1001);
  const auto status = m.server().wait_exit(kWait);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 0) << "every connection closed within the shutdown timeout";
}

TEST(Stream, AChangeOnOneTaskReachesAClientOfAnotherThroughRedis) {
  PgServer pg;
  pg.create_database("stream");
  RedisServer redis;
  Money a(Env{{"DATABASE_URL", pg.url("stream")},
              {"REDIS_URL", redis.url()},
              {"DB_POOL_MAX", "20"},
              {"DB_ACQUIRE_TIMEOUT", "60s"}});
  ASSERT_TRUE(a.server().started()) << a.server().stdout_text();
  ServerProcess b(a.env());
  ASSERT_TRUE(b.started()) << b.stdout_text();
  const auto admin = a.admin("trader@bet2wealth.co");
  const auto market = make_market(a, admin);

  WsClient on_b(b.port());
  ASSERT_TRUE(on_b.open());
  ASSERT_TRUE(subscribe(on_b, market.event_id));
  ASSERT_EQ(move_odds(a, admin, market, "1.55")->status, 200);  // committed on task A
  auto odds = on_b.wait_type("odds", kWait);
  ASSERT_TRUE(odds);
  EXPECT_EQ(odds->at("version").as_int64(), 2);
  const auto seq = odds->at("seq").as_int64();
  ASSERT_EQ(move_odds(a, admin, market, "1.60", b.port())->status, 200);  // and one on task B
  odds = on_b.wait_type("odds", kWait);
  ASSERT_TRUE(odds);
  EXPECT_EQ(odds->at("seq").as_int64(), seq + 1) << "one sequence per event across tasks";

  // The store restarts: messages published meanwhile may be lost, so every client is told to resync.
  redis.kill();
  redis.start();
  EXPECT_TRUE(on_b.wait_type("resync", 60s));
}

TEST(Stream, ATaskAtItsConnectionLimitAnswers503UntilOneLeaves) {
  Money m(Env{{"STREAM_MAX_CONNECTIONS", "2"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  auto first = std::make_unique<WsClient>(m.port());
  WsClient second(m.port());
  ASSERT_TRUE(first->open() && second.open());
  ASSERT_TRUE(subscribe(second, "evt_1"));
  WsClient third(m.port());
  EXPECT_FALSE(third.open());
  EXPECT_EQ(third.refused_status(), 503);
  EXPECT_NE(third.refused_body().find("too_many_connections"), std::string::npos);
  first.reset();  // leaves (the server sees the socket close)
  bool admitted = false;
  for (int i = 0; i < 200 && !admitted; ++i) {
    WsClient again(m.port());
    admitted = again.open();
    if (!admitted) std::this_thread::sleep_for(50ms);  // polling until the server has counted the close
  }
  EXPECT_TRUE(admitted);
}

// The server writes every frame itself, pongs included: a client pinging while a burst is being flushed
// (partial writes to a small receive buffer) sees every frame whole and every ping answered.
TEST(Stream, APingInTheMiddleOfABurstIsAnsweredBetweenFramesNeverInsideOne) {
  Money m(Env{{"STREAM_SEND_QUEUE_BYTES", "16777216"}});
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto admin = m.admin("trader@bet2wealth.co");
  const auto market = make_market(m, admin, 50);  // about 9 KB a message

  RawWsClient ws(m.port(), "dGhlIHNhbXBsZSBub25jZQ==", "13", 4096);
  ASSERT_EQ(ws.status(), 101) << ws.response_head();
  EXPECT_NE(ws.response_head().find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), std::string::npos);
  ASSERT_TRUE(ws.send_frame(0x1, R"({"op":"subscribe","events":[")" + market.event_id + R"("]})"));
  auto reply = ws.read_frame(kWait);
  ASSERT_TRUE(reply);
  EXPECT_NE(reply->payload.find("\"subscribed\""), std::string::npos);

  constexpr int kChanges = 300;
  std::atomic<int> failed{0};
  std::thread mover([&] {
    for (int i = 0; i < kChanges; ++i) {
      const int hundredths = 101 + i;
      const std::string odds = std::to_string(hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") +
                               std::to_string(hundredths % 100);
      auto r = move_odds(m, admin, market, odds);
      if (!r || r->status != 200) failed.fetch_add(1);
    }
  });
  int odds = 0, pings_sent = 0, pongs = 0;
  std::string expected_pong;
  while (odds < kChanges) {
    auto frame = ws.read_frame(60s);
    ASSERT_TRUE(frame) << "after " << odds << " odds messages; malformed: " << ws.malformed();
    ASSERT_TRUE(frame->fin);
    if (frame->opcode == 0xA) {
      EXPECT_EQ(frame->payload, expected_pong);
      ++pongs;
      continue;
    }
    if (frame->opcode == 0x9) continue;  // the server's own idle ping
    ASSERT_EQ(frame->opcode, 0x1);
    const auto message = boost::json::parse(frame->payload).as_object();  // throws on a torn frame
    if (is_type(message, "odds")) ++odds;
    // A ping every few messages, the next only once the last is answered (the pong names which).
    if (odds % 5 == 0 && pongs == pings_sent) {
      expected_pong = "ping-" + std::to_string(++pings_sent);
      ASSERT_TRUE(ws.send_frame(0x9, expected_pong));
    }
  }
  mover.join();
  EXPECT_EQ(failed.load(), 0);
  while (pongs < pings_sent) {
    auto frame = ws.read_frame(kWait);
    ASSERT_TRUE(frame);
    if (frame->opcode == 0xA) ++pongs;
  }
  EXPECT_GE(pings_sent, kChanges / 30) << "pings went out during the burst";
  EXPECT_EQ(pongs, pings_sent);
}

TEST(Stream, TheHandshakeIsCheckedAndTheClientsFramesParsedStrictly) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  RawWsClient old_version(m.port(), "dGhlIHNhbXBsZSBub25jZQ==", "8");
  EXPECT_EQ(old_version.status(), 426);
  EXPECT_NE(old_version.response_head().find("Sec-WebSocket-Version: 13"), std::string::npos)
      << old_version.response_head();
  RawWsClient bad_key(m.port(), "not-a-key");
  EXPECT_EQ(bad_key.status(), 400);

  // A subscription in three fragments with a ping between them; a binary message is refused politely.
  RawWsClient ws(m.port());
  ASSERT_EQ(ws.status(), 101);
  ASSERT_TRUE(ws.send_frame(0x1, R"({"op":"subsc)", false));
  ASSERT_TRUE(ws.send_frame(0x9, "between"));
  ASSERT_TRUE(ws.send_frame(0x0, R"(ribe","events":)", false));
  ASSERT_TRUE(ws.send_frame(0x0, R"(["evt_1","evt_2"]})"));
  auto pong = ws.read_frame(kWait);
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, 0xA);
  EXPECT_EQ(pong->payload, "between");
  auto subscribed = ws.read_frame(kWait);
  ASSERT_TRUE(subscribed);
  EXPECT_NE(subscribed->payload.find(R"("subscriptions":2)"), std::string::npos) << subscribed->payload;
  ASSERT_TRUE(ws.send_frame(0x2, "\x01\x02"));
  auto error = ws.read_frame(kWait);
  ASSERT_TRUE(error);
  EXPECT_NE(error->payload.find("invalid_message"), std::string::npos);

  // An unmasked frame: close 1002, then the server ends the TCP connection without waiting for an answer.
  ASSERT_TRUE(ws.send_frame(0x1, R"({"op":"subscribe","events":["evt_3"]})", true, false));
  auto close = ws.read_frame(kWait);
  ASSERT_TRUE(close);
  ASSERT_EQ(close->opcode, 0x8);
  EXPECT_EQ(close->close_code(), 1002);
  EXPECT_TRUE(ws.wait_eof(kWait));
}

TEST(Stream, AClientsCloseIsEchoedAndTheServerEndsTheConnection) {
  Money m;
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  RawWsClient ws(m.port());
  ASSERT_EQ(ws.status(), 101);
  ASSERT_TRUE(ws.send_frame(0x8, std::string("\x0f\xa0", 2) + "done"));  // 4000
  auto close = ws.read_frame(kWait);
  ASSERT_TRUE(close);
  ASSERT_EQ(close->opcode, 0x8);
  EXPECT_EQ(close->close_code(), 4000);
  EXPECT_TRUE(ws.wait_eof(kWait));
  // The connection is counted out: a task limited to one connection takes the next.
  Money one(Env{{"STREAM_MAX_CONNECTIONS", "1"}});
  ASSERT_TRUE(one.server().started());
  {
    RawWsClient first(one.port());
    ASSERT_EQ(first.status(), 101);
    ASSERT_TRUE(first.send_frame(0x8, std::string("\x03\xe8", 2)));
    ASSERT_TRUE(first.read_frame(kWait));
    ASSERT_TRUE(first.wait_eof(kWait));
  }
  bool admitted = false;
  for (int i = 0; i < 200 && !admitted; ++i) {
    RawWsClient again(one.port());
    admitted = again.status() == 101;
    if (!admitted) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(admitted);
}
