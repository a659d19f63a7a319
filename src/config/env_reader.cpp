#include "config/env_reader.hpp"

#include <cctype>
#include <charconv>

#include "config/duration.hpp"

extern char** environ;

namespace b2w::config {

std::optional<std::string> EnvReader::raw(const std::string& name) const {
  auto it = env_.find(name);
  if (it == env_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::string EnvReader::string(const std::string& name, const std::string& fallback) {
  return raw(name).value_or(fallback);
}

std::int64_t EnvReader::integer(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
  auto text = raw(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) {
    fail(name, "expected an integer, got \"" + *text + "\"");
    return fallback;
  }
  if (value < min || value > max) {
    fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + *text);
    return fallback;
  }
  return value;
}

std::chrono::milliseconds EnvReader::duration(const std::string& name, std::chrono::milliseconds fallback,
                                              std::chrono::milliseconds bare_unit, std::chrono::milliseconds min) {
  auto text = raw(name);
  if (!text) return fallback;
  std::string error;
  auto value = parse_duration(*text, bare_unit, error);
  if (!value) {
    fail(name, error);
    return fallback;
  }
  if (*value < min) {
    fail(name, "must be at least " + format_duration(min) + ", got " + *text);
    return fallback;
  }
  return *value;
}

std::uint64_t EnvReader::bytes(const std::string& name, std::uint64_t fallback, std::uint64_t min, std::uint64_t max) {
  auto text = raw(name);
  if (!text) return fallback;
  std::string error;
  auto value = parse_byte_size(*text, error);
  if (!value) {
    fail(name, error);
    return fallback;
  }
  if (*value < min || *value > max) {
    fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max) + " bytes, got " + *text);
    return fallback;
  }
  return *value;
}

std::string EnvReader::one_of(const std::string& name, const std::string& fallback,
                              const std::vector<std::string>& allowed) {
  auto text = raw(name);
  if (!text) return fallback;
  for (const auto& a : allowed)
    if (*text == a) return a;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  fail(name, "must be one of " + list + ", got \"" + *text + "\"");
  return fallback;
}

std::string EnvReader::path_prefix(const std::string& name, const std::string& fallback) {
  auto text = raw(name);
  if (!text) return fallback;
  std::string value = *text;
  while (value.size() > 1 && value.back() == '/') value.pop_back();
  bool ok = !value.empty() && value.front() == '/';
  for (char c : value)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' || c == '.')) ok = false;
  if (!ok || value.find("//") != std::string::npos) {
    fail(name, "must be a path such as /api/v1 (letters, digits, '-', '_', '.', '/'), got \"" + *text + "\"");
    return fallback;
  }
  return value;
}

void EnvReader::fail(const std::string& name, const std::string& problem) {
  errors_.push_back(name + ": " + problem);
}

Env environment_from_process() {
  Env env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

}  // namespace b2w::config
