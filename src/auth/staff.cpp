#include "auth/staff.hpp"

#include "domain/accounts.hpp"
#include "domain/error.hpp"

namespace b2w::auth {

using domain::Error;
using domain::ErrorKind;

store::Awaitable<std::vector<store::UserRecord>> StaffService::list() {
  auto staff = co_await users_.list_staff();
  co_return staff;
}

store::Awaitable<RoleChange> StaffService::assign(std::optional<std::string> actor_id, std::string email,
                                                  domain::Role role) {
  auto normalized = domain::normalize_email(email);
  if (!normalized) throw Error::validation().detail("email", "must be a valid email address");
  auto found = co_await users_.find_by_email(*normalized);
  if (!found) throw Error(ErrorKind::not_found, "user_not_found", "No account has that email");
  if (actor_id && *actor_id == found->id)
    throw Error(ErrorKind::forbidden, "own_role", "Staff cannot change their own role; ask another superadmin");
  RoleChange change{std::move(*found), domain::Role::user, false};
  // A role the database holds is one of ours (migration 015's CHECK); `user` is the safe reading otherwise.
  change.previous = domain::parse_role(change.user.role).value_or(domain::Role::user);
  if (change.user.role == domain::to_string(role)) co_return change;
  const bool updated = co_await users_.set_role(change.user.id, std::string(domain::to_string(role)));
  if (!updated) throw Error(ErrorKind::not_found, "user_not_found", "No account has that email");
  change.user.role = std::string(domain::to_string(role));
  change.user.token_version += 1;
  change.changed = true;
  co_return change;
}

}  // namespace b2w::auth
