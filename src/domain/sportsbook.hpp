#pragma once
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

// The sportsbook's vocabulary and its rules about states: pure, no I/O.
namespace b2w::domain {

struct Sport {
  std::string_view key;   // "football"
  std::string_view name;  // "Football"
};
// The sports we offer, in display order.
std::span<const Sport> sports();
const Sport* find_sport(std::string_view key);

// scheduled -> live -> finished; scheduled or live -> cancelled. Finished and cancelled are final.
enum class EventStatus { scheduled, live, finished, cancelled };
// The wire and database names ("scheduled", "live", "finished", "cancelled"), and back.
std::string_view to_string(EventStatus status);
std::optional<EventStatus> parse_event_status(std::string_view text);
bool event_transition_allowed(EventStatus from, EventStatus to);  // the same status again is allowed (a no-op)
// Finished or cancelled: no more markets, no rescheduling.
bool event_is_over(EventStatus status);
// Still to be played or in play: what the catalogue lists unless asked otherwise, and counts per sport.
inline constexpr std::array<EventStatus, 2> kCurrentEventStatuses{EventStatus::scheduled, EventStatus::live};

// A market takes bets only while open and before its event starts; settled and void are final.
enum class MarketStatus { open, suspended, settled, void_ };
// "open", "suspended", "settled", "void", and back.
std::string_view to_string(MarketStatus status);
std::optional<MarketStatus> parse_market_status(std::string_view text);
bool market_is_final(MarketStatus status);  // settled or void
// Not final (open or suspended): what an event's cancellation voids.
inline constexpr std::array<MarketStatus, 2> kUnsettledMarketStatuses{MarketStatus::open, MarketStatus::suspended};

// A display name, trimmed: 1 to `max` characters that pass domain/text's display_text_problem; nullopt otherwise.
std::optional<std::string> clean_name(std::string_view text, std::size_t max);

}  // namespace b2w::domain
