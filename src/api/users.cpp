#include "api/users.hpp"

#include <boost/json/serialize.hpp>
#include <chrono>
#include <unordered_map>

#include "api/actor.hpp"
#include "api/auth.hpp"
#include "api/json_input.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "security/password.hpp"
#include "util/time.hpp"

namespace b2w::api {
namespace {

// /users/me is read on every app start and screen: a one-second per-thread cache of the
// rendered user spares the database most of that traffic (a change shows within a second).
struct CachedUser {
  std::string json;
  std::chrono::steady_clock::time_point expires;
};
constexpr std::chrono::seconds kUserCacheTtl{1};
constexpr std::size_t kUserCacheMax = 10000;

// The user as sessions show it, and how they can sign in.
boost::json::object profile_json(const store::UserRecord& user, bool google_linked) {
  auto json = user_json(user);
  boost::json::array methods;
  if (security::PasswordHasher::usable(user.password_hash)) methods.emplace_back("password");
  if (google_linked) methods.emplace_back("google");
  if (user.phone_verified_at) methods.emplace_back("phone");  // a code sent to it signs in
  json["sign_in_methods"] = std::move(methods);
  return json;
}

}  // namespace

RouteHandler current_user(store::UserRepository& users) {
  return [&users](Call call) -> http::Awaitable<http::Response> {
    thread_local std::unordered_map<std::string, CachedUser> cache;
    const auto now = std::chrono::steady_clock::now();
    auto hit = cache.find(call.user.sub);
    if (hit == cache.end() || hit->second.expires < now) {
      auto found = co_await users.find_with_google_link(call.user.sub);
      if (!found)
        throw http::ApiError(http::Status::unauthorized, "invalid_token", "The account no longer exists")
            .header(http::Field::www_authenticate, "Bearer error=\"invalid_token\"");
      if (cache.size() >= kUserCacheMax) cache.clear();
      hit = cache
                .insert_or_assign(
                    call.user.sub,
                    CachedUser{boost::json::serialize(profile_json(found->first, found->second)), now + kUserCacheTtl})
                .first;
    }
    co_return http::raw_json_response(http::Status::ok, hit->second.json);
  };
}

RouteHandler update_current_user(limits::PlayerControls& controls) {
  return [&controls](Call call) -> http::Awaitable<http::Response> {
    const auto body = call.body();
    Validation v;
    auto date_of_birth = v.string(body, "date_of_birth", true);
    for (const auto& field : body)
      if (field.key() != "date_of_birth") v.fail(std::string(field.key()), "cannot be changed here");
    v.check();
    auto user = co_await controls.set_date_of_birth(actor_of(call), std::move(*date_of_birth));
    co_return http::json_response(http::Status::ok, user_json(user));
  };
}

RouteHandler self_exclude(limits::PlayerControls& controls) {
  return [&controls](Call call) -> http::Awaitable<http::Response> {
    const auto body = call.body();
    Validation v;
    auto text = v.string(body, "period", true);
    std::optional<domain::ExclusionPeriod> period;
    if (text) period = domain::parse_exclusion_period(*text);
    if (text && !period) v.fail("period", "one of 24h, 7d, 30d (time-outs), 6m, 5y, permanent (self-exclusion)");
    v.check();
    auto user = co_await controls.exclude(actor_of(call), *period);
    co_return http::json_response(http::Status::ok, boost::json::object{{"exclusion", exclusion_json(user)}});
  };
}

RouteHandler activity(limits::PlayerControls& controls) {
  return [&controls](Call call) -> http::Awaitable<http::Response> {
    const std::string text(call.ctx.query_param("period").value_or("month"));
    const auto period = domain::parse_activity_period(text);
    if (!period)
      throw domain::Error::validation("The period is not valid").detail("period", "one of day, week, month, year");
    const auto a = co_await controls.activity(call.user.sub, *period);
    co_return http::json_response(http::Status::ok, boost::json::object{{"period", domain::to_string(*period)},
                                                                        {"currency", "NGN"},
                                                                        {"deposits", a.deposits},
                                                                        {"withdrawals", a.withdrawals},
                                                                        {"stakes", a.stakes},
                                                                        {"returns", a.returns},
                                                                        {"net", a.net()}});
  };
}

boost::json::object limits_json(const std::vector<store::StoredLimit>& limits, std::chrono::milliseconds cooling_off) {
  boost::json::array list;
  for (const auto& l : limits) {
    const auto& s = l.setting;
    boost::json::value pending = nullptr;
    if (s.pending)
      pending = boost::json::object{
          {"amount", s.pending_amount ? boost::json::value(*s.pending_amount) : boost::json::value(nullptr)},
          {"applies_at", rfc3339(s.pending_from)}};
    list.push_back(
        boost::json::object{{"kind", domain::to_string(l.kind)},
                            {"period", domain::to_string(l.period)},
                            {"amount", s.amount ? boost::json::value(*s.amount) : boost::json::value(nullptr)},
                            {"pending", pending}});
  }
  return {{"currency", "NGN"},
          {"cooling_off_seconds", std::chrono::duration_cast<std::chrono::seconds>(cooling_off).count()},
          {"limits", std::move(list)}};
}

// [{kind, period, amount}] with amount a positive kobo integer or null (remove).
std::vector<limits::LimitRequest> limit_requests(const boost::json::object& body) {
  const auto* list = body.if_contains("limits");
  if (!list || !list->is_array() || list->as_array().empty() || list->as_array().size() > 9)
    throw domain::Error::validation("The limits are not valid").detail("limits", "an array of 1 to 9 limits");
  std::vector<limits::LimitRequest> out;
  Validation v;
  std::size_t i = 0;
  for (const auto& item : list->as_array()) {
    const std::string at = "limits[" + std::to_string(i++) + "]";
    if (!item.is_object()) {
      v.fail(at, "must be an object {kind, period, amount}");
      continue;
    }
    const auto& o = item.as_object();
    auto kind = domain::parse_limit_kind(v.string(o, "kind", true).value_or(""));
    auto period = domain::parse_limit_period(v.string(o, "period", true).value_or(""));
    if (!kind) v.fail(at + ".kind", "deposit, stake or loss");
    if (!period) v.fail(at + ".period", "day, week or month");
    std::optional<domain::Kobo> amount;
    const auto* a = o.if_contains("amount");
    if (!a) {
      v.fail(at + ".amount", "required: kobo, or null to remove the limit");
    } else if (!a->is_null()) {
      amount = kobo(o, "amount");
      if (!amount || *amount <= 0 || *amount > 1'000'000'000'000) v.fail(at + ".amount", "a positive amount in kobo");
    }
    if (kind && period) out.push_back({*kind, *period, amount});
  }
  v.check();
  return out;
}

RouteHandler player_limits(limits::PlayerLimits& limits) {
  return [&limits](Call call) -> http::Awaitable<http::Response> {
    const auto now = co_await limits.of(call.user.sub);
    co_return http::json_response(http::Status::ok, limits_json(now, limits.cooling_off()));
  };
}

RouteHandler change_player_limits(limits::PlayerLimits& limits) {
  return [&limits](Call call) -> http::Awaitable<http::Response> {
    auto requests = limit_requests(call.body());
    const auto now = co_await limits.change(actor_of(call), std::move(requests));
    co_return http::json_response(http::Status::ok, limits_json(now, limits.cooling_off()));
  };
}

}  // namespace b2w::api
