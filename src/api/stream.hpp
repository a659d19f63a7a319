#pragma once
#include <string>
#include <vector>

#include "api/health.hpp"
#include "api/route_table.hpp"
#include "sportsbook/changes.hpp"
#include "store/ledger.hpp"
#include "stream/hub.hpp"
#include "stream/publisher.hpp"

namespace b2w::api {

struct StreamRoute {
  stream::Hub& hub;
  const HealthState& health;
  std::vector<std::string> allowed_origins;  // empty: any
};

// GET /stream: the WebSocket upgrade (src/stream/README.md). A plain GET gets 426; a refused Origin 403;
// a task at STREAM_MAX_CONNECTIONS, or draining, 503. Otherwise 101, and the hub takes the connection.
RouteHandler open_stream(StreamRoute d);

// The comma-separated STREAM_ALLOWED_ORIGINS as a list (blanks dropped).
std::vector<std::string> origin_list(std::string_view comma_separated);

// The sportsbook's changes as stream messages: markets and events in the API's JSON, bets and the
// balance after each, for their owner only.
class StreamChanges : public sportsbook::ChangeListener {
 public:
  StreamChanges(stream::Publisher& publisher, store::LedgerRepository& ledger)
      : publisher_(publisher), ledger_(ledger) {}

  Awaitable<void> market_changed(const store::Market& market, bool odds) override;
  Awaitable<void> event_changed(const store::Event& event) override;
  Awaitable<void> bet_placed(const store::Bet& bet) override;
  Awaitable<void> bets_closed(std::vector<sportsbook::ClosedBet> bets) override;

 private:
  Awaitable<void> balance_of(std::string user_id);

  stream::Publisher& publisher_;
  store::LedgerRepository& ledger_;
};

}  // namespace b2w::api
