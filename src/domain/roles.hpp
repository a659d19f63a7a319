#pragma once
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

// Who an account is to the operator: a player, or staff with one duty (segregation of duties, issue 20).
// Pure; the route table says which roles each admin route admits, the database holds each account's role.
namespace b2w::domain {

enum class Role {
  user,        // a player: no admin route
  trader,      // events, markets, odds, settlement, the feed
  finance,     // withdrawal review, reconciliation, payments, casino reports
  support,     // player lookup, lock and unlock, limits
  superadmin,  // staff accounts and roles; admitted everywhere
};

inline constexpr std::array<Role, 5> kRoles{Role::user, Role::trader, Role::finance, Role::support, Role::superadmin};

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
// "user, trader, finance, support, superadmin": for messages that list the accepted names.
std::string role_names();

inline constexpr bool is_staff(Role role) {
  return role != Role::user;
}

// The roles a route admits, as a small set.
class Roles {
 public:
  constexpr Roles() = default;
  constexpr Roles(std::initializer_list<Role> roles) {
    for (auto r : roles) bits_ = static_cast<std::uint8_t>(bits_ | bit(r));
  }
  constexpr bool contains(Role role) const { return (bits_ & bit(role)) != 0; }
  constexpr Roles with(Role role) const {
    Roles out = *this;
    out.bits_ = static_cast<std::uint8_t>(bits_ | bit(role));
    return out;
  }
  constexpr bool empty() const { return bits_ == 0; }
  // Whether `role` may act here: a listed role, or superadmin (who may do everything); never a player.
  constexpr bool admit(Role role) const { return role == Role::superadmin || (is_staff(role) && contains(role)); }
  constexpr bool operator==(const Roles&) const = default;

 private:
  static constexpr std::uint8_t bit(Role role) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(role)); }
  std::uint8_t bits_ = 0;
};

// "trader, finance": the listed roles in declaration order (superadmin is implied, not listed).
std::string to_string(Roles roles);

}  // namespace b2w::domain
