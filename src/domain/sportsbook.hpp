#pragma once
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
bool is_event_status(std::string_view status);
bool event_transition_allowed(std::string_view from, std::string_view to);
// A market takes bets only while open and before its event starts.
bool is_market_status(std::string_view status);
bool market_is_final(std::string_view status);  // settled or void

// A display name, trimmed: 1 to `max` characters that pass domain/text's display_text_problem; nullopt otherwise.
std::optional<std::string> clean_name(std::string_view text, std::size_t max);

}  // namespace b2w::domain
