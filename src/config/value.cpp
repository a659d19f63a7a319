// The kinds of setting: how each is read from the environment, shown in the summary and documented.
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <stdexcept>

#include "config/setting.hpp"
#include "util/ids.hpp"

namespace b2w::config {
namespace {

using std::chrono::milliseconds;

std::string join(const std::vector<std::string>& items, const std::string& before, const std::string& after,
                 const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + before + item + after;
  return out;
}

std::string schemes_text(const std::vector<std::string>& schemes) {
  return join(schemes, "", "://", ", ");
}

// Validates a URL's scheme; returns nullopt (and records the problem) when it is not usable.
std::optional<std::string> read_url(EnvReader& env, const std::string& name, const std::vector<std::string>& schemes) {
  auto value = env.raw(name);
  if (!value) return std::nullopt;
  auto parsed = boost::urls::parse_absolute_uri(*value);
  const std::string list = schemes_text(schemes);
  if (!parsed || parsed->host().empty()) {
    env.fail(name, "must be a URL starting with " + list);
    return std::nullopt;
  }
  for (const auto& s : schemes)
    if (parsed->scheme() == s) return value;
  env.fail(name, "must be a URL starting with " + list + ", got scheme \"" + std::string(parsed->scheme()) + "\"");
  return std::nullopt;
}

std::string redact_url(const std::optional<std::string>& url) {
  if (!url) return "(unset)";
  auto parsed = boost::urls::parse_absolute_uri(*url);
  if (!parsed) return "[redacted]";
  boost::urls::url copy(*parsed);
  if (copy.has_password()) copy.set_password("[redacted]");
  return std::string(copy.buffer());
}

void add_url_password(const std::optional<std::string>& url, std::vector<std::string>& out) {
  if (!url) return;
  auto parsed = boost::urls::parse_absolute_uri(*url);
  if (parsed && parsed->has_password()) {
    out.push_back(parsed->password());
    out.push_back(std::string(parsed->encoded_password()));
  }
}

Secret read_secret(Loader& l, const std::string& name, std::size_t min_length) {
  const bool production = l.config.production();
  if (auto value = l.env.raw(name)) {
    if (production && value->size() < min_length)
      l.env.fail(name, "must be at least " + std::to_string(min_length) + " characters in production");
    return {*value, false};
  }
  if (production) {
    l.missing.push_back(name);
    return {};
  }
  l.warnings.push_back(name +
                       " is not set: using a random value for this process only (tokens will not survive a restart)");
  return {random_hex(32), true};
}

// "1MiB" rather than "1048576" where the size is a whole number of KiB or MiB (parse_byte_size reads both).
std::string format_bytes(std::uint64_t n) {
  if (n != 0 && n % (1024 * 1024) == 0) return std::to_string(n / (1024 * 1024)) + "MiB";
  if (n != 0 && n % 1024 == 0) return std::to_string(n / 1024) + "KiB";
  return std::to_string(n);
}

// 500000000 kobo -> "₦5,000,000".
std::string naira(std::int64_t kobo) {
  std::string digits = std::to_string(kobo / 100);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return "₦" + digits;
}

}  // namespace

std::string Loader::part(std::string_view name) {
  const Setting* s = find_setting(name);
  if (!s || !s->value.part) throw std::logic_error("config: no part named " + std::string(name));
  return s->value.part(env, s->name);
}

Value amount(std::int64_t Config::*field, std::int64_t min, std::int64_t max) {
  Value v = integer(field, min, max);
  v.accepts += " kobo";
  static const Config defaults;
  const std::int64_t fallback = defaults.*field;
  v.fallback = "`" + std::to_string(fallback) + "` (" + naira(fallback) + ")";
  return v;
}

Value bytes(std::uint64_t Config::*field, std::uint64_t min, std::uint64_t max) {
  Value v = field_value(field, format_bytes);
  v.read = [=](Loader& l, const std::string& name) { l.config.*field = l.env.bytes(name, l.config.*field, min, max); };
  v.accepts = format_bytes(min) + " to " + format_bytes(max);
  return v;
}

Value duration(milliseconds Config::*field, milliseconds bare_unit, milliseconds min) {
  Value v = field_value(field, format_duration);
  v.read = [=](Loader& l, const std::string& name) {
    l.config.*field = l.env.duration(name, l.config.*field, bare_unit, min);
  };
  v.accepts = "a duration";
  if (min > milliseconds(0)) v.accepts += " ≥ " + format_duration(min);
  if (bare_unit == milliseconds(1)) v.accepts += "; a bare number is milliseconds";
  return v;
}

Value text(std::string Config::*field) {
  Value v = field_value(field, [](const std::string& s) { return s; });
  v.read = [=](Loader& l, const std::string& name) { l.config.*field = l.env.string(name, l.config.*field); };
  return v;
}

Value choice(std::string Config::*field, const std::vector<std::string>& allowed) {
  Value v = text(field);
  v.read = [=](Loader& l, const std::string& name) { l.config.*field = l.env.one_of(name, l.config.*field, allowed); };
  v.accepts = join(allowed, "`", "`", ", ");
  return v;
}

Value flag(bool Config::*field) {
  Value v = field_value(field, [](bool b) { return std::string(b ? "true" : "false"); });
  v.read = [=](Loader& l, const std::string& name) {
    l.config.*field = l.env.one_of(name, l.config.*field ? "true" : "false", {"true", "false"}) == "true";
  };
  v.accepts = "`true`, `false`";
  return v;
}

Value path(std::string Config::*field) {
  Value v = text(field);
  v.read = [=](Loader& l, const std::string& name) { l.config.*field = l.env.path_prefix(name, l.config.*field); };
  v.accepts = "a path such as `/api/v1`";
  return v;
}

Value url(std::string Config::*field, const std::vector<std::string>& schemes,
          const std::vector<std::string>& production_schemes) {
  Value v = text(field);
  v.read = [=](Loader& l, const std::string& name) {
    const bool strict = l.config.production() && !production_schemes.empty();
    l.config.*field = read_url(l.env, name, strict ? production_schemes : schemes).value_or(l.config.*field);
  };
  v.accepts = join(schemes, "`", "://`", " or ") + " URL";
  if (!production_schemes.empty())
    v.accepts += " (" + join(production_schemes, "`", "://`", " or ") + " in production)";
  return v;
}

Value store_url(std::optional<std::string> Config::*field, const std::vector<std::string>& schemes,
                std::optional<std::string> (*assemble)(Loader&), const std::string& missing) {
  Value v;
  v.read = [=](Loader& l, const std::string& name) {
    auto& value = l.config.*field;
    value = read_url(l.env, name, schemes);
    if (value || l.env.raw(name)) return;  // given, or given wrong (already reported)
    value = assemble(l);
    if (!value && l.config.production()) l.missing.push_back(missing);
  };
  v.show = [=](const Config& c) { return redact_url(c.*field); };
  v.secret_values = [=](const Config& c, std::vector<std::string>& out) { add_url_password(c.*field, out); };
  v.accepts = join(schemes, "`", "://`", " or ") + " URL; its password is a secret";
  return v;
}

Value secret(Secret Config::*field, std::size_t production_min_length) {
  Value v;
  v.secret = true;
  v.read = [=](Loader& l, const std::string& name) { l.config.*field = read_secret(l, name, production_min_length); };
  v.show = [=](const Config& c) -> std::string {
    const Secret& s = c.*field;
    if (s.value.empty()) return "(unset)";
    return s.generated ? "[generated]" : "[set]";
  };
  v.secret_values = [=](const Config& c, std::vector<std::string>& out) {
    if (!(c.*field).value.empty()) out.push_back((c.*field).value);
  };
  v.accepts = production_min_length > 1 ? "≥ " + std::to_string(production_min_length) + " characters in production"
                                        : "required in production";
  v.fallback = "random per process in development";
  return v;
}

Value optional_secret(std::string Config::*field) {
  Value v;
  v.secret = true;
  v.read = [=](Loader& l, const std::string& name) { l.config.*field = l.env.string(name, l.config.*field); };
  v.show = [=](const Config& c) -> std::string { return (c.*field).empty() ? "(unset)" : "[set]"; };
  v.secret_values = [=](const Config& c, std::vector<std::string>& out) {
    if (!(c.*field).empty()) out.push_back(c.*field);
  };
  return v;
}

Value networks(std::vector<IpNetwork> Config::*field) {
  Value v = field_value(field, [](const std::vector<IpNetwork>& list) {
    std::string out;
    for (const auto& n : list) out += (out.empty() ? "" : ",") + n.to_string();
    return out;
  });
  v.read = [=](Loader& l, const std::string& name) {
    auto text = l.env.raw(name);
    if (!text) return;
    std::vector<std::string> bad;
    l.config.*field = parse_network_list(*text, bad);
    for (const auto& entry : bad)
      l.env.fail(name, "\"" + entry + "\" is not an IP address or CIDR block (e.g. 10.0.0.0/16, ::1/128)");
  };
  v.accepts = "comma-separated IP addresses or CIDR blocks (IPv4 and IPv6)";
  return v;
}

Value part(const std::string& fallback) {
  Value v;
  v.part = [=](EnvReader& env, const std::string& name) { return env.string(name, fallback); };
  v.fallback = fallback.empty() ? "unset" : "`" + fallback + "`";
  return v;
}

Value part_port(std::int64_t fallback) {
  Value v;
  v.part = [=](EnvReader& env, const std::string& name) {
    return std::to_string(env.integer(name, fallback, 1, 65535));
  };
  v.fallback = "`" + std::to_string(fallback) + "`";
  v.accepts = "1 to 65535";
  return v;
}

Value part_choice(const std::string& fallback, const std::vector<std::string>& allowed) {
  Value v = part(fallback);
  v.part = [=](EnvReader& env, const std::string& name) { return env.one_of(name, fallback, allowed); };
  v.accepts = join(allowed, "`", "`", ", ");
  return v;
}

Value part_secret() {
  Value v = part("");
  v.secret = true;
  return v;
}

std::string rel_symbol(Rel rel) {
  switch (rel) {
    case Rel::less:
      return "<";
    case Rel::greater:
      return ">";
    case Rel::at_most:
      return "≤";
    case Rel::at_least:
      return "≥";
  }
  return "?";
}

// The words of the existing error messages ("must not exceed MAX_STAKE (...)").
std::string rel_phrase(Rel rel, bool durations) {
  switch (rel) {
    case Rel::less:
      return durations ? "must be shorter than" : "must be less than";
    case Rel::greater:
      return durations ? "must be longer than" : "must be greater than";
    case Rel::at_most:
      return durations ? "must not be longer than" : "must not exceed";
    case Rel::at_least:
      return durations ? "must not be shorter than" : "must be at least";
  }
  return "?";
}

}  // namespace b2w::config
