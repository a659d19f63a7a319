#include "config/config.hpp"

#include "config/setting.hpp"

namespace b2w::config {
namespace {

// The name a row is read under: its alias when only the alias is set (errors then name the alias).
std::string read_name(const EnvReader& env, const Setting& s) {
  if (!s.alias.empty() && !env.raw(s.name) && env.raw(s.alias)) return s.alias;
  return s.name;
}

}  // namespace

std::vector<std::string> Config::secret_values() const {
  std::vector<std::string> out;
  for (const auto& s : settings())
    if (s.value.secret_values) s.value.secret_values(*this, out);
  return out;
}

std::vector<std::pair<std::string, std::string>> Config::summary() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : settings())
    if (s.part_of.empty()) out.emplace_back(s.name, shown(s, *this));  // a part shows in its URL
  return out;
}

// Reads every row, then runs the checks (they compare final values), then reports what production lacks.
LoadResult load(const Env& env_map, const std::string& build_version) {
  LoadResult result;
  EnvReader env(env_map);
  std::vector<std::string> missing;
  Loader loader{env, result.config, build_version, missing, result.warnings};
  for (const auto& s : settings())
    if (s.value.read) s.value.read(loader, read_name(env, s));
  for (const auto& s : settings())
    for (const auto& check : s.checks) check.run(loader, s.name);

  result.errors = env.errors();
  if (!missing.empty()) {
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
    result.errors.push_back("missing required settings for APP_ENV=production: " + names);
  }
  return result;
}

}  // namespace b2w::config
