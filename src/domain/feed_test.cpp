#include "domain/feed.hpp"

#include <gtest/gtest.h>

#include "domain/error.hpp"

using namespace b2w::domain;
using namespace b2w::domain::feed;

namespace {

std::string batch_of(const std::string& messages) {
  return R"({"messages":[)" + messages + "]}";
}

std::string head(const std::string& type, int sequence, const std::string& event = "sr:match:1") {
  return R"("type":")" + type + R"(","event_id":")" + event + R"(","timestamp":1700000000000,"sequence":)" +
         std::to_string(sequence);
}

Batch parse_one(const std::string& message) {
  return parse_batch(batch_of(message), 500);
}

std::string reason_of(const std::string& message) {
  const auto b = parse_one(message);
  EXPECT_TRUE(b.messages.empty());
  return b.rejected.empty() ? "" : b.rejected.front().reason;
}

}  // namespace

TEST(FeedMessages, TypesRoundTripAndOnlyCatalogueTypesStayInTheFeedsTransaction) {
  for (const auto t : {MessageType::fixture_change, MessageType::odds_change, MessageType::bet_stop,
                       MessageType::bet_settlement, MessageType::bet_cancel, MessageType::rollback_bet_settlement})
    EXPECT_EQ(parse_message_type(to_string(t)), t);
  EXPECT_FALSE(parse_message_type("alive"));
  EXPECT_TRUE(changes_catalogue_only(MessageType::fixture_change));
  EXPECT_TRUE(changes_catalogue_only(MessageType::odds_change));
  EXPECT_TRUE(changes_catalogue_only(MessageType::bet_stop));
  EXPECT_FALSE(changes_catalogue_only(MessageType::bet_settlement));
  EXPECT_FALSE(changes_catalogue_only(MessageType::bet_cancel));
  EXPECT_FALSE(changes_catalogue_only(MessageType::rollback_bet_settlement));
}

TEST(FeedMessages, MarketStatusesMapToOurs) {
  EXPECT_EQ(to_market_status(*parse_feed_market_status("active")), MarketStatus::open);
  EXPECT_EQ(to_market_status(*parse_feed_market_status("suspended")), MarketStatus::suspended);
  EXPECT_EQ(to_market_status(*parse_feed_market_status("deactivated")), MarketStatus::suspended);
  EXPECT_FALSE(parse_feed_market_status("settled"));
}

TEST(FeedMessages, AMalformedBodyAppliesNothing) {
  for (const std::string body : {"", "not json", "[]", "{}", R"({"messages":{}})", R"({"messages":"x"})"}) {
    try {
      parse_batch(body, 10);
      ADD_FAILURE() << body;
    } catch (const Error& e) {
      EXPECT_TRUE(e.kind() == ErrorKind::malformed || e.kind() == ErrorKind::invalid) << body;
    }
  }
  EXPECT_THROW(parse_batch(batch_of("{},{},{}"), 2), Error);
  EXPECT_NO_THROW(parse_batch(batch_of("{},{}"), 2));
  EXPECT_TRUE(parse_batch(batch_of(""), 2).messages.empty());
}

TEST(FeedMessages, FixtureChange) {
  const auto b = parse_one("{" + head("fixture_change", 7) +
                           R"(,"sport":"football","home":"Enyimba","away":"Rivers United",)"
                           R"("start_time":"2026-12-05T16:00:00Z","status":"live"})");
  ASSERT_EQ(b.messages.size(), 1u);
  const auto& m = b.messages[0];
  EXPECT_EQ(m.type, MessageType::fixture_change);
  EXPECT_EQ(m.event_id, "sr:match:1");
  EXPECT_EQ(m.timestamp, 1700000000000);
  EXPECT_EQ(m.sequence, 7);
  const auto& f = std::get<Fixture>(m.body);
  EXPECT_EQ(f.sport, "football");
  EXPECT_EQ(f.home, "Enyimba");
  EXPECT_EQ(f.away, "Rivers United");
  EXPECT_FALSE(f.name);
  EXPECT_TRUE(f.starts_at);
  EXPECT_EQ(f.status, EventStatus::live);

  // Every field but the header is optional (an update names what changes).
  const auto bare = parse_one("{" + head("fixture_change", 8) + "}");
  ASSERT_EQ(bare.messages.size(), 1u);
  EXPECT_FALSE(std::get<Fixture>(bare.messages[0].body).status);
  EXPECT_EQ(
      std::get<Fixture>(parse_one("{" + head("fixture_change", 1) + R"(,"status":"not_started"})").messages[0].body)
          .status,
      EventStatus::scheduled);
  EXPECT_EQ(
      std::get<Fixture>(parse_one("{" + head("fixture_change", 1) + R"(,"status":"closed"})").messages[0].body).status,
      EventStatus::finished);

  EXPECT_EQ(reason_of("{" + head("fixture_change", 1) + R"(,"sport":"quidditch"})"), "sport is not a sport we offer");
  EXPECT_EQ(reason_of("{" + head("fixture_change", 1) + R"(,"start_time":"tomorrow"})"),
            "start_time must be an RFC 3339 time");
  EXPECT_EQ(reason_of("{" + head("fixture_change", 1) + R"(,"status":"postponed"})"),
            "status must be not_started, live, ended or closed");
  EXPECT_NE(reason_of("{" + head("fixture_change", 1) + R"(,"home":""})").find("home must be 1 to"), std::string::npos);
}

TEST(FeedMessages, TheHeaderIsChecked) {
  EXPECT_NE(reason_of(R"({"type":"goal","event_id":"e","timestamp":1,"sequence":1})").find("type must be"),
            std::string::npos);
  EXPECT_EQ(reason_of(R"({"type":"bet_stop","timestamp":1,"sequence":1})"), "event_id must be a string");
  EXPECT_NE(reason_of(R"({"type":"bet_stop","event_id":"a b","timestamp":1,"sequence":1})").find("printable"),
            std::string::npos);
  EXPECT_NE(reason_of(R"({"type":"bet_stop","event_id":")" + std::string(101, 'x') + R"(","timestamp":1,"sequence":1})")
                .find("1 to 100"),
            std::string::npos);
  EXPECT_EQ(reason_of(R"({"type":"bet_stop","event_id":"e","timestamp":1})"), "sequence is required");
  EXPECT_EQ(reason_of(R"({"type":"bet_stop","event_id":"e","timestamp":1,"sequence":-1})"),
            "sequence must be a non-negative integer");
  EXPECT_EQ(reason_of(R"({"type":"bet_stop","event_id":"e","timestamp":1.5,"sequence":1})"),
            "timestamp must be a non-negative integer");
  EXPECT_EQ(reason_of("42"), "a message must be an object");
}

TEST(FeedMessages, OddsChange) {
  const auto b = parse_one("{" + head("odds_change", 2) +
                           R"(,"markets":[{"id":"1","name":"1X2","status":"active","outcomes":[)"
                           R"({"id":"1","name":"Home","odds":"1.85"},{"id":"2","odds":"3.2"},{"id":"3"}]},)"
                           R"({"id":"18|total=2.5","status":"suspended"}]})");
  ASSERT_EQ(b.messages.size(), 1u) << (b.rejected.empty() ? "" : b.rejected[0].reason);
  const auto& c = std::get<OddsChange>(b.messages[0].body);
  ASSERT_EQ(c.markets.size(), 2u);
  EXPECT_EQ(c.markets[0].name, "1X2");
  EXPECT_EQ(c.markets[0].status, FeedMarketStatus::active);
  ASSERT_EQ(c.markets[0].outcomes.size(), 3u);
  EXPECT_EQ(c.markets[0].outcomes[0].odds, 1850);
  EXPECT_EQ(c.markets[0].outcomes[1].odds, 3200);
  EXPECT_FALSE(c.markets[0].outcomes[1].name);
  EXPECT_FALSE(c.markets[0].outcomes[2].odds);
  EXPECT_EQ(c.markets[1].id, "18|total=2.5");
  EXPECT_EQ(c.markets[1].status, FeedMarketStatus::suspended);

  const auto market = [](const std::string& m) { return "{" + head("odds_change", 1) + R"(,"markets":[)" + m + "]}"; };
  EXPECT_EQ(reason_of(market(R"({"id":"1","outcomes":[{"id":"1","odds":1.85}]})")),
            "markets[0].outcomes[0].odds must be a decimal string such as \"1.85\"");
  EXPECT_EQ(reason_of(market(R"({"id":"1","outcomes":[{"id":"1","odds":"0.9"}]})")),
            "markets[0].outcomes[0].odds must be from 1.01 to 1000 with at most 3 decimals");
  EXPECT_EQ(reason_of(market(R"({"id":"1","outcomes":[{"id":"1"},{"id":"1"}]})")),
            "markets[0].outcomes[1].id repeats another outcome");
  EXPECT_EQ(reason_of(market(R"({"id":"1"},{"id":"1"})")), "markets[1].id repeats another market");
  EXPECT_EQ(reason_of(market(R"({"id":"1","status":"open"})")),
            "markets[0].status must be active, suspended or deactivated");
  EXPECT_EQ(reason_of(market(R"("1")")), "markets[0] must be an object");
  EXPECT_EQ(reason_of("{" + head("odds_change", 1) + R"(,"markets":{}})"), "markets must be an array");
}

TEST(FeedMessages, BetStopCancelSettlementAndRollback) {
  auto stop = parse_one("{" + head("bet_stop", 3) + "}");
  ASSERT_EQ(stop.messages.size(), 1u);
  EXPECT_TRUE(std::get<BetStop>(stop.messages[0].body).markets.empty());  // every market
  stop = parse_one("{" + head("bet_stop", 3) + R"(,"markets":["1","18|total=2.5"]})");
  EXPECT_EQ(std::get<BetStop>(stop.messages[0].body).markets.size(), 2u);
  EXPECT_EQ(reason_of("{" + head("bet_stop", 3) + R"(,"markets":["1","1"]})"), "markets names 1 twice");

  auto cancel = parse_one("{" + head("bet_cancel", 4) + R"(,"markets":["1"]})");
  ASSERT_EQ(cancel.messages.size(), 1u);
  EXPECT_EQ(std::get<BetCancel>(cancel.messages[0].body).markets, std::vector<std::string>{"1"});

  auto settled = parse_one("{" + head("bet_settlement", 5) +
                           R"(,"markets":[{"id":"1","winning":["1"]},{"id":"2","void":["1","2"]}]})");
  ASSERT_EQ(settled.messages.size(), 1u);
  const auto& s = std::get<BetSettlement>(settled.messages[0].body);
  ASSERT_EQ(s.markets.size(), 2u);
  EXPECT_EQ(s.markets[0].winning, std::vector<std::string>{"1"});
  EXPECT_TRUE(s.markets[0].void_.empty());
  EXPECT_EQ(s.markets[1].void_.size(), 2u);
  EXPECT_EQ(reason_of("{" + head("bet_settlement", 5) + "}"), "markets is required");
  EXPECT_EQ(reason_of("{" + head("bet_settlement", 5) + R"(,"markets":[{"id":"1","winning":["1"],"void":["1"]}]})"),
            "markets[0] names outcome 1 both winning and void");

  auto rollback = parse_one("{" + head("rollback_bet_settlement", 6) + R"(,"markets":["1"]})");
  ASSERT_EQ(rollback.messages.size(), 1u);
  EXPECT_EQ(reason_of("{" + head("rollback_bet_settlement", 6) + "}"), "markets is required");
}

TEST(FeedMessages, ABadMessageIsRejectedAndTheOthersStand) {
  const auto b =
      parse_batch(batch_of("{" + head("bet_stop", 1) + "}, {\"type\":\"x\"}, {" + head("bet_stop", 2) + "}"), 10);
  ASSERT_EQ(b.messages.size(), 2u);
  EXPECT_EQ(b.messages[0].index, 0u);
  EXPECT_EQ(b.messages[1].index, 2u);
  ASSERT_EQ(b.rejected.size(), 1u);
  EXPECT_EQ(b.rejected[0].index, 1u);
}

TEST(FeedSequence, DuplicatesGapsAndTheNextOne) {
  EXPECT_EQ(judge_sequence(std::nullopt, 0), SequenceVerdict::apply);
  EXPECT_EQ(judge_sequence(std::nullopt, 42), SequenceVerdict::apply);  // the first one seen
  EXPECT_EQ(judge_sequence(5, 6), SequenceVerdict::apply);
  EXPECT_EQ(judge_sequence(5, 5), SequenceVerdict::duplicate);
  EXPECT_EQ(judge_sequence(5, 4), SequenceVerdict::duplicate);
  EXPECT_EQ(judge_sequence(5, 0), SequenceVerdict::duplicate);
  EXPECT_EQ(judge_sequence(5, 7), SequenceVerdict::gap);
  EXPECT_EQ(judge_sequence(0, 1000000), SequenceVerdict::gap);
  // Exhaustively over a small range: exactly one verdict, the one the rule gives.
  for (std::int64_t last = 0; last < 20; ++last)
    for (std::int64_t seq = 0; seq < 25; ++seq) {
      const auto v = judge_sequence(last, seq);
      const auto want = seq <= last       ? SequenceVerdict::duplicate
                        : seq == last + 1 ? SequenceVerdict::apply
                                          : SequenceVerdict::gap;
      EXPECT_EQ(v, want) << last << " " << seq;
    }
}

TEST(FeedSequence, ByEventKeepsFirstAppearanceAndSortsEachEventBySequence) {
  std::vector<Message> ms;
  auto add = [&](const std::string& event, std::int64_t seq) {
    Message m;
    m.index = ms.size();
    m.event_id = event;
    m.sequence = seq;
    m.body = BetStop{};
    ms.push_back(m);
  };
  add("b", 3);
  add("a", 2);
  add("b", 1);
  add("a", 1);
  add("b", 2);
  add("b", 2);  // a tie keeps batch order
  const auto events = by_event(ms);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event_id, "b");
  EXPECT_EQ(events[1].event_id, "a");
  std::vector<std::size_t> b_indexes;
  for (const auto& m : events[0].messages) b_indexes.push_back(m.index);
  EXPECT_EQ(b_indexes, (std::vector<std::size_t>{2, 4, 5, 0}));
  EXPECT_EQ(events[1].messages[0].index, 3u);
  EXPECT_EQ(events[1].messages[1].index, 1u);
  EXPECT_TRUE(by_event({}).empty());
}
