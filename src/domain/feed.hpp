#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/odds.hpp"
#include "domain/sportsbook.hpp"

// A trading feed's messages (modelled on Betradar's Unified Odds Feed, see sportsbook/README.md): their
// parsing into typed messages, and the rules about their order. Pure, no I/O.
namespace b2w::domain::feed {

enum class MessageType { fixture_change, odds_change, bet_stop, bet_settlement, bet_cancel, rollback_bet_settlement };
std::string_view to_string(MessageType type);
std::optional<MessageType> parse_message_type(std::string_view text);
// fixture_change, odds_change and bet_stop change the catalogue in the feed's own transaction; the others
// go through the settlement (its own transactions, bets paid through the ledger).
bool changes_catalogue_only(MessageType type);

// An event's details; absent fields stay as they are (all but `status` are required to create it).
struct Fixture {
  std::optional<std::string> sport;  // one of domain::sports()
  std::optional<std::string> name;   // default "home vs away" when created
  std::optional<std::string> home;
  std::optional<std::string> away;
  std::optional<std::int64_t> starts_at;  // epoch micros
  std::optional<EventStatus> status;      // not_started, live, ended/closed on the wire
};

// UOF's market statuses: active (1) takes bets; suspended (-1) and deactivated (0) do not.
enum class FeedMarketStatus { active, suspended, deactivated };
std::optional<FeedMarketStatus> parse_feed_market_status(std::string_view text);
MarketStatus to_market_status(FeedMarketStatus status);  // active -> open, otherwise suspended

struct OutcomeOdds {
  std::string id;                   // the provider's outcome id, unique within its market
  std::optional<std::string> name;  // needed when the market is created
  std::optional<Odds> odds;         // absent: unchanged (an inactive outcome in UOF carries no odds)
};

struct MarketOdds {
  std::string id;                   // the provider's market id with its specifiers ("18|total=2.5")
  std::optional<std::string> name;  // needed when the market is created
  FeedMarketStatus status = FeedMarketStatus::active;
  std::vector<OutcomeOdds> outcomes;
};

struct OddsChange {
  std::vector<MarketOdds> markets;
};

// Suspends the named markets, or every market of the event when none is named.
struct BetStop {
  std::vector<std::string> markets;
};

struct MarketResult {
  std::string id;
  std::vector<std::string> winning;  // outcome ids that won
  std::vector<std::string> void_;    // outcome ids refunded; every other outcome lost
};

struct BetSettlement {
  std::vector<MarketResult> markets;
};

// Voids the named markets (bets refunded), or every open market of the event when none is named.
struct BetCancel {
  std::vector<std::string> markets;
};

// Asks for the named markets' settlement to be undone (recorded for an operator: see the README).
struct RollbackSettlement {
  std::vector<std::string> markets;
};

using Body = std::variant<Fixture, OddsChange, BetStop, BetSettlement, BetCancel, RollbackSettlement>;

struct Message {
  std::size_t index = 0;  // its position in the batch, for the answer
  MessageType type = MessageType::fixture_change;
  std::string event_id;        // the provider's ("sr:match:123")
  std::int64_t timestamp = 0;  // the provider's, epoch millis
  std::int64_t sequence = 0;   // per event, increasing
  Body body;
};

struct Rejection {
  std::size_t index = 0;
  std::string reason;
};

struct Batch {
  std::vector<Message> messages;  // the valid ones, in batch order
  std::vector<Rejection> rejected;
};

inline constexpr std::size_t kMaxIdLength = 100;
inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxMarketsPerMessage = 500;
inline constexpr std::size_t kMaxOutcomesPerMarket = 50;

// The body {"messages":[...]}. A body that is not that shape, or that has more than `max_messages`
// messages, throws domain::Error (malformed_body 400, or validation_error 422): nothing is applied.
// A message that breaks a rule is rejected with its reason; the others stand.
Batch parse_batch(std::string_view body, std::size_t max_messages);

// What to do with a message, given the last sequence applied for its event (none yet: nullopt).
enum class SequenceVerdict {
  apply,      // the next one (or the first one seen)
  gap,        // later than the next one: applied, but some were missed (logged and counted)
  duplicate,  // at or before the last one applied: ignored
};
SequenceVerdict judge_sequence(std::optional<std::int64_t> last_applied, std::int64_t sequence);

// The batch's messages per event: events in order of their first message, each event's messages by
// sequence (ties in batch order), so an event's messages apply in their order even when sent shuffled.
struct EventMessages {
  std::string event_id;
  std::vector<Message> messages;
};
std::vector<EventMessages> by_event(std::vector<Message> messages);

}  // namespace b2w::domain::feed
