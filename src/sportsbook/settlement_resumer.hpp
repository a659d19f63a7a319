#pragma once
#include <chrono>

#include "sportsbook/settlement.hpp"

namespace b2w::sportsbook {

// Finishes settlements cut short (a task killed between batches): every `interval`, the markets
// whose results were recorded at least `interval` ago and are still pending are resolved. Runs
// beside an administrator's own settlement request and beside other tasks' resumers safely:
// each batch locks its bets and pays each bet once. Errors (the database away) wait for the next round.
Awaitable<void> resume_settlements(Settlement& settlement, std::chrono::milliseconds interval);

}  // namespace b2w::sportsbook
