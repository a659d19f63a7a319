#include "domain/roles.hpp"

#include <utility>

namespace b2w::domain {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> kNames{{
    {Role::user, "user"},
    {Role::trader, "trader"},
    {Role::finance, "finance"},
    {Role::support, "support"},
    {Role::superadmin, "superadmin"},
}};

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kNames)
    if (r == role) return name;
  return "user";
}

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& [r, name] : kNames)
    if (name == text) return r;
  return std::nullopt;
}

std::string role_names() {
  std::string out;
  for (const auto& [r, name] : kNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string to_string(Roles roles) {
  std::string out;
  for (const auto& [r, name] : kNames) {
    if (!roles.contains(r)) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace b2w::domain
