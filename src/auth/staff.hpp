#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/roles.hpp"
#include "store/users.hpp"

namespace b2w::auth {

// A role change as it happened.
struct RoleChange {
  store::UserRecord user;  // with its new role
  domain::Role previous = domain::Role::user;
  bool changed = false;  // false: the account had the role already (nothing revoked)
};

// Staff accounts and their roles (segregation of duties, README "Staff roles"). Used by POST /admin/staff
// (a superadmin; the route table admits no one else) and by `bet2wealth admin role` (the operator, no actor).
// Throws domain::Error: not_found user_not_found, forbidden own_role.
class StaffService {
 public:
  explicit StaffService(store::UserRepository& users) : users_(users) {}

  // Every account whose role is not `user`.
  store::Awaitable<std::vector<store::UserRecord>> list();
  // The account with this (normalized) email gets `role` (`user` makes it a player again). A change ends every
  // token the account holds, in the same statement, so the new role applies at once. `actor_id`, when
  // set, is the staff member asking: nobody changes their own role, so no one can raise their own rights
  // and the last superadmin cannot demote themselves.
  store::Awaitable<RoleChange> assign(std::optional<std::string> actor_id, std::string email, domain::Role role);

 private:
  store::UserRepository& users_;
};

}  // namespace b2w::auth
