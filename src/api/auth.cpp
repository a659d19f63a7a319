#include "api/auth.hpp"

#include "api/json_input.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

boost::json::value exclusion_json(const store::UserRecord& u) {
  if (!u.excluded_until || *u.excluded_until <= store::now_micros()) return nullptr;
  const bool permanent = *u.excluded_until == domain::kExcludedForever;
  const auto period = domain::parse_exclusion_period(u.exclusion_period.value_or(""));
  return boost::json::object{
      {"period", u.exclusion_period ? boost::json::value(*u.exclusion_period) : boost::json::value(nullptr)},
      {"kind", period && domain::is_time_out(*period) ? "time_out" : "self_exclusion"},
      {"until", permanent ? boost::json::value(nullptr) : boost::json::value(rfc3339(*u.excluded_until))},
      {"permanent", permanent}};
}

boost::json::object user_json(const store::UserRecord& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"full_name", u.full_name ? boost::json::value(*u.full_name) : boost::json::value(nullptr)},
          {"phone", u.phone ? boost::json::value(*u.phone) : boost::json::value(nullptr)},
          {"role", u.role},
          {"email_verified", u.email_verified_at.has_value()},
          {"phone_verified", u.phone_verified_at.has_value()},
          {"identity_verified", u.identity_verified_at.has_value()},
          {"kyc_tier", domain::to_int(store::kyc_tier(u))},
          {"date_of_birth", u.date_of_birth ? boost::json::value(*u.date_of_birth) : boost::json::value(nullptr)},
          {"exclusion", exclusion_json(u)},
          {"created_at", rfc3339(u.created_at)}};
}

namespace {

Response session_response(Status status, const auth::Session& s) {
  return http::json_response(status, boost::json::object{{"user", user_json(s.user)},
                                                         {"access_token", s.tokens.access_token},
                                                         {"refresh_token", s.tokens.refresh_token},
                                                         {"token_type", "Bearer"},
                                                         {"expires_in", s.tokens.expires_in}});
}

std::string required_refresh_token(const Call& call) {
  Validation v;
  auto token = v.string(call.body(), "refresh_token", true);
  v.check();
  return *token;
}

Response no_content() {
  return Response{Status::no_content, 11};
}

}  // namespace

RouteHandler register_account(auth::AccountService& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auth::Registration input;
    input.email = v.string(body, "email", true).value_or("");
    input.password = v.string(body, "password", true).value_or("");
    input.full_name = v.string(body, "full_name", false);
    input.phone = v.string(body, "phone", false);
    input.date_of_birth = v.string(body, "date_of_birth", false);
    v.check();
    co_return session_response(Status::created, co_await accounts.register_user(std::move(input), call.ctx.client_ip));
  };
}

RouteHandler login(auth::AccountService& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto email = v.string(body, "email", true);
    auto password = v.string(body, "password", true);
    v.check();
    co_return session_response(Status::ok,
                               co_await accounts.login(std::move(*email), std::move(*password), call.ctx.client_ip));
  };
}

RouteHandler refresh(auth::AccountService& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    co_return session_response(Status::ok, co_await accounts.refresh(required_refresh_token(call)));
  };
}

RouteHandler logout(auth::AccountService& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    co_await accounts.logout(required_refresh_token(call));
    co_return no_content();
  };
}

// Every session of the caller ends: access tokens stop on money and admin routes at once, and no
// refresh token issued so far rotates again.
RouteHandler logout_all(auth::AccountService& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    co_await accounts.logout_all(call.user.sub);
    co_return no_content();
  };
}

RouteHandler verify_email(identity::EmailVerification& email) {
  return [&email](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto token = v.string(body, "token", true);
    v.check();
    co_await email.verify(std::move(*token));
    co_return no_content();
  };
}

RouteHandler resend_verification(identity::EmailVerification& email) {
  return [&email](Call call) -> Awaitable<Response> {
    co_await email.resend(call.user.sub);
    co_return http::json_response(Status::accepted, boost::json::object{{"status", "sent"}});
  };
}

RouteHandler forgot_password(identity::PasswordReset& reset) {
  return [&reset](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto email = v.string(body, "email", true);
    v.check();
    co_await reset.request(std::move(*email), call.ctx.client_ip);
    co_return http::json_response(Status::accepted, boost::json::object{{"status", "sent_if_registered"}});
  };
}

RouteHandler reset_password(identity::PasswordReset& reset) {
  return [&reset](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    // A link's token, or a code sent to the account's verified phone.
    const bool by_code = !body.contains("token") && body.contains("phone");
    auto token = v.string(body, "token", !by_code);
    auto phone = v.string(body, "phone", by_code);
    auto code = v.string(body, "code", by_code);
    auto password = v.string(body, "new_password", true);
    v.check();
    if (by_code)
      co_await reset.reset_with_code(std::move(*phone), std::move(*code), std::move(*password), call.ctx.client_ip);
    else
      co_await reset.reset(std::move(*token), std::move(*password));
    co_return no_content();
  };
}

namespace {

domain::OtpPurpose required_purpose(const boost::json::object& body, Validation& v) {
  auto text = v.string(body, "purpose", true);
  if (!text) return domain::OtpPurpose::verify_phone;  // reported by v.check()
  auto purpose = domain::parse_otp_purpose(*text);
  if (!purpose) v.fail("purpose", "must be verify_phone, login or password_reset");
  return purpose.value_or(domain::OtpPurpose::verify_phone);
}

}  // namespace

RouteHandler send_phone_code(identity::PhoneOtp& codes) {
  return [&codes](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto phone = v.string(body, "phone", true);
    const auto purpose = required_purpose(body, v);
    v.check();
    std::optional<std::string> caller;
    if (!call.user.sub.empty()) caller = call.user.sub;
    const int expires_in = co_await codes.send(std::move(*phone), purpose, std::move(caller), call.ctx.client_ip);
    co_return http::json_response(Status::accepted,
                                  boost::json::object{{"status", "sent"}, {"expires_in", expires_in}});
  };
}

RouteHandler verify_phone_code(identity::PhoneOtp& codes, identity::PasswordReset& reset) {
  return [&codes, &reset](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto phone = v.string(body, "phone", true);
    auto code = v.string(body, "code", true);
    const auto purpose = required_purpose(body, v);
    v.check();
    if (purpose == domain::OtpPurpose::login) {
      auto session = co_await codes.sign_in(std::move(*phone), std::move(*code), call.ctx.client_ip);
      co_return session_response(Status::ok, session);
    }
    if (purpose == domain::OtpPurpose::password_reset) {
      auto issued = co_await reset.token_for_code(std::move(*phone), std::move(*code), call.ctx.client_ip);
      co_return http::json_response(Status::ok,
                                    boost::json::object{{"reset_token", issued.first}, {"expires_in", issued.second}});
    }
    if (call.user.sub.empty())
      throw domain::Error(domain::ErrorKind::unauthenticated, "unauthenticated", "Sign in to verify a phone number");
    auto user = co_await codes.verify_phone(call.user.sub, std::move(*phone), std::move(*code), call.ctx.client_ip);
    co_return http::json_response(Status::ok, boost::json::object{{"user", user_json(user)}});
  };
}

RouteHandler google_sign_in(identity::GoogleSignIn& google) {
  return [&google](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto id_token = v.string(body, "id_token", true);
    v.check();
    auto result = co_await google.sign_in(std::move(*id_token), call.ctx.client_ip);
    const Status status = result.created ? Status::created : Status::ok;
    co_return session_response(status, result.session);
  };
}

}  // namespace b2w::api
