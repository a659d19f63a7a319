#pragma once
#include "api/route_table.hpp"
#include "sportsbook/feed.hpp"

namespace b2w::api {

// POST /feed/messages: a trading feed's batch, signed with X-Feed-Signature (no user token). One call to
// sportsbook::Feed; the answer counts what was applied and names each rejected message with its reason.
RouteHandler feed_messages(sportsbook::Feed& feed);
// GET /admin/feed/rollbacks: the settlement rollbacks the feed sent (never applied: an operator reviews the
// market's bets), newest first, in cursor pages.
RouteHandler feed_rollbacks(sportsbook::Feed& feed);

}  // namespace b2w::api
