#pragma once
// The configuration as one table: each row is an environment variable, how it is read and validated,
// how the start-up summary shows it and how README.md documents it (settings.cpp holds the rows).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "config/config.hpp"
#include "config/duration.hpp"
#include "config/env_reader.hpp"

namespace b2w::config {

// What a row's reader works with while load() runs.
struct Loader {
  EnvReader& env;
  Config& config;
  const std::string& build_version;
  std::vector<std::string>& missing;  // production: required settings that are unset
  std::vector<std::string>& warnings;

  // The value of a part (a row with part_of): read only when the setting it belongs to is assembled.
  std::string part(std::string_view name);
};

// How a row is read, shown and documented; made by the factories below, never by hand.
struct Value {
  std::function<void(Loader&, const std::string& name)> read;  // null for parts
  std::function<std::string(const Config&)> show;              // null for parts; secrets redacted
  std::function<bool(const Config&)> automatic;                // the field holds 0 / empty (see Setting::unset)
  std::function<std::string(EnvReader&, const std::string& name)> part;         // parts only
  std::function<void(const Config&, std::vector<std::string>&)> secret_values;  // what logs must never show
  std::string accepts;                                                          // README: what a valid value looks like
  std::string fallback;  // README default, when showing Config{}'s value would mislead
  bool secret = false;
};

// A rule involving other settings; runs once every row is read, so it sees their final values.
struct Check {
  std::string doc;  // README, e.g. "< `SHUTDOWN_TIMEOUT`"
  std::function<void(Loader&, const std::string& name)> run;
};

struct Setting {
  std::string name;
  Value value;
  std::string description;  // README "meaning"
  std::vector<Check> checks = {};
  std::string alias = {};        // an older name, read when `name` is unset
  std::string unset = {};        // shown (summary and README) when the field holds 0 / empty
  std::string default_doc = {};  // README default when it is not what Config{} holds
  std::string part_of = {};      // read only to assemble that setting's URL; not in the summary
};

// Every setting, in summary and README order.
const std::vector<Setting>& settings();
const Setting* find_setting(std::string_view name);
// The summary text of a row's value.
std::string shown(const Setting& setting, const Config& config);

// ---- factories (settings.cpp uses them; value.cpp implements the non-templates) ----

// Fills in show and automatic for a field whose value prints with `print`.
template <class T, class Print>
Value field_value(T Config::*field, Print print) {
  Value v;
  v.show = [field, print](const Config& c) { return print(c.*field); };
  v.automatic = [field](const Config& c) {
    if constexpr (requires { (c.*field).empty(); })
      return (c.*field).empty();
    else
      return c.*field == T{};
  };
  return v;
}

template <class T>
Value integer(T Config::*field, std::int64_t min, std::int64_t max) {
  static_assert(std::is_integral_v<T>);
  Value v = field_value(field, [](T n) { return std::to_string(n); });
  v.read = [=](Loader& l, const std::string& name) {
    l.config.*field = static_cast<T>(l.env.integer(name, static_cast<std::int64_t>(l.config.*field), min, max));
  };
  v.accepts = std::to_string(min) + " to " + std::to_string(max);
  return v;
}

// An amount of money in kobo; the README shows its default in naira too.
Value amount(std::int64_t Config::*field, std::int64_t min, std::int64_t max);
Value bytes(std::uint64_t Config::*field, std::uint64_t min, std::uint64_t max);
// bare_unit: what a number without a unit means (milliseconds for the REDIS_* timeouts, as before).
Value duration(std::chrono::milliseconds Config::*field, std::chrono::milliseconds bare_unit = std::chrono::seconds(1),
               std::chrono::milliseconds min = std::chrono::milliseconds(0));
Value text(std::string Config::*field);
Value choice(std::string Config::*field, const std::vector<std::string>& allowed);
Value flag(bool Config::*field);  // `true` or `false`
Value path(std::string Config::*field);
// production_schemes, when given, replace schemes in production.
Value url(std::string Config::*field, const std::vector<std::string>& schemes,
          const std::vector<std::string>& production_schemes = {});
// A store's URL: given whole, else assembled from its parts; required in production (missing names it).
Value store_url(std::optional<std::string> Config::*field, const std::vector<std::string>& schemes,
                std::optional<std::string> (*assemble)(Loader&), const std::string& missing);
// In development a missing secret is generated; in production it is required and at least min_length long.
Value secret(Secret Config::*field, std::size_t production_min_length);
// A secret only some command needs: empty when unset, never generated nor required; redacted like the others.
Value optional_secret(std::string Config::*field);
Value networks(std::vector<IpNetwork> Config::*field);

// Parts of a store URL, read by its assembler through Loader::part.
Value part(const std::string& fallback);
Value part_port(std::int64_t fallback);
Value part_choice(const std::string& fallback, const std::vector<std::string>& allowed);
Value part_secret();

// ---- checks ----

enum class Rel { less, greater, at_most, at_least };
std::string rel_symbol(Rel rel);
std::string rel_phrase(Rel rel, bool durations);
inline std::string value_text(std::chrono::milliseconds d) {
  return format_duration(d);
}
template <class T>
std::string value_text(T n) {
  return std::to_string(n);
}

// "<name> must be <rel> <other>", e.g. "must not exceed MAX_STAKE (100000000)".
template <class T>
Check must_be(Rel rel, T Config::*self, std::string other_name, T Config::*other) {
  constexpr bool durations = std::is_same_v<T, std::chrono::milliseconds>;
  auto run = [=](Loader& l, const std::string& name) {
    const T a = l.config.*self, b = l.config.*other;
    const bool ok = rel == Rel::less ? a < b : rel == Rel::greater ? a > b : rel == Rel::at_most ? a <= b : a >= b;
    if (!ok) l.env.fail(name, rel_phrase(rel, durations) + " " + other_name + " (" + value_text(b) + ")");
  };
  return {rel_symbol(rel) + " `" + other_name + "`", run};
}

}  // namespace b2w::config
