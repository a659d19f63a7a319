#pragma once
#include <boost/json/object.hpp>

#include "sportsbook/bets.hpp"
#include "sportsbook/catalog.hpp"

// The wire shapes of the sportsbook's resources, one place for every route that returns them.
namespace b2w::api {

boost::json::object market_json(const sportsbook::Market& market);
boost::json::object event_json(const sportsbook::Event& event);
boost::json::object bet_json(const sportsbook::Bet& bet);

}  // namespace b2w::api
