#include "api/identity.hpp"

#include "api/json_input.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

namespace {

boost::json::object check_json(const store::IdentityCheck& c) {
  return {{"id", c.id},
          {"status", domain::to_string(c.status)},
          {"reason", c.reason ? boost::json::value(*c.reason) : boost::json::value(nullptr)},
          {"provider", c.provider},
          {"bank_code", c.bank_code},
          {"created_at", rfc3339(c.created_at)},
          {"updated_at", rfc3339(c.updated_at)}};
}

}  // namespace

RouteHandler submit_identity(identity::IdentityVerification& verification) {
  return [&verification](Call call) -> http::Awaitable<http::Response> {
    const auto body = call.body();
    Validation v;
    domain::IdentityDetails details;
    details.bvn = v.string(body, "bvn", false).value_or("");
    details.bank_code = v.string(body, "bank_code", false).value_or("");
    details.account_number = v.string(body, "account_number", false).value_or("");
    details.first_name = v.string(body, "first_name", false).value_or("");
    details.last_name = v.string(body, "last_name", false).value_or("");
    v.check();
    const auto check = co_await verification.submit(call.user.sub, std::move(details));
    co_return http::json_response(http::Status::accepted, check_json(check));
  };
}

RouteHandler own_identity(identity::IdentityVerification& verification) {
  return [&verification](Call call) -> http::Awaitable<http::Response> {
    const auto check = co_await verification.latest(call.user.sub);
    boost::json::value shown = nullptr;
    if (check) shown = check_json(*check);
    co_return http::json_response(http::Status::ok, boost::json::object{{"check", shown}});
  };
}

}  // namespace b2w::api
