#pragma once
#include "api/route_table.hpp"
#include "sportsbook/feed.hpp"

namespace b2w::api {

// POST /feed/messages: a trading feed's batch, signed with X-Feed-Signature (no user token). One call to
// sportsbook::Feed; the answer counts what was applied and names each rejected message with its reason.
RouteHandler feed_messages(sportsbook::Feed& feed);

}  // namespace b2w::api
