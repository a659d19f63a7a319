#include "api/admin_staff.hpp"

#include <boost/json/array.hpp>

#include "api/auth.hpp"
#include "api/json_input.hpp"
#include "domain/roles.hpp"
#include "http/response.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

RouteHandler list_staff(auth::StaffService& staff) {
  return [&staff](Call) -> Awaitable<Response> {
    auto accounts = co_await staff.list();
    boost::json::array data;
    data.reserve(accounts.size());
    for (const auto& user : accounts) data.emplace_back(user_json(user));
    // Staff are few: one page, in the list shape every other list has.
    co_return http::json_response(Status::ok, boost::json::object{{"data", std::move(data)}, {"next_cursor", nullptr}});
  };
}

RouteHandler assign_staff_role(auth::StaffService& staff) {
  return [&staff](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto email = v.string(body, "email", true);
    auto role_name = v.string(body, "role", true);
    std::optional<domain::Role> role;
    if (role_name) {
      role = domain::parse_role(*role_name);
      if (!role) v.fail("role", "must be one of: " + domain::role_names());
    }
    v.check();
    auto change = co_await staff.assign(call.user.sub, *email, *role);
    co_return http::json_response(Status::ok, boost::json::object{{"user", user_json(change.user)},
                                                                  {"previous_role", domain::to_string(change.previous)},
                                                                  {"changed", change.changed}});
  };
}

}  // namespace b2w::api
