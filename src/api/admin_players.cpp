#include "api/admin_players.hpp"

#include "api/actor.hpp"
#include "api/auth.hpp"
#include "api/json_input.hpp"
#include "api/pagination.hpp"
#include "api/users.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

namespace {

// The back office's view of a player: the public shape, and what support needs besides.
boost::json::object staff_view(const store::UserRecord& u) {
  auto json = user_json(u);
  json["locked"] = u.locked_at.has_value();
  json["locked_at"] = u.locked_at ? boost::json::value(rfc3339(*u.locked_at)) : boost::json::value(nullptr);
  // kyc_tier (user_json) is the tier that applies; an operator's explicit one shows here too (null: computed).
  json["kyc_tier_override"] =
      u.kyc_tier_override ? boost::json::value(*u.kyc_tier_override) : boost::json::value(nullptr);
  return json;
}

std::string required_reason(const boost::json::object& body) {
  Validation v;
  auto reason = v.string(body, "reason", true);
  v.check();
  return *reason;
}

}  // namespace

RouteHandler find_players(players::PlayerAdmin& admin) {
  return [&admin](Call call) -> Awaitable<Response> {
    const auto page = page_request(call.ctx);
    const std::string query(call.ctx.query_param("q").value_or(""));
    std::string after;
    if (page.after) after = page.after->second;
    auto found = co_await admin.search(query, after, page.limit + 1);
    co_return http::json_response(
        Status::ok, page_json(
                        found, page, [](const store::UserRecord& u) { return std::make_pair(std::int64_t{0}, u.id); },
                        [](const store::UserRecord& u) { return staff_view(u); }));
  };
}

RouteHandler player_detail(players::PlayerAdmin& admin, std::chrono::milliseconds cooling_off) {
  return [&admin, cooling_off](Call call) -> Awaitable<Response> {
    const auto d = co_await admin.detail(call.param("id"));
    boost::json::array recent;
    for (const auto& line : d.recent)
      recent.push_back(boost::json::object{{"transaction_id", line.transaction_id},
                                           {"kind", line.kind},
                                           {"amount", line.amount},
                                           {"balance_after", line.balance_after},
                                           {"reference", line.reference},
                                           {"created_at", rfc3339(line.created_at)}});
    co_return http::json_response(
        Status::ok,
        boost::json::object{{"user", staff_view(d.user)},
                            {"wallet", boost::json::object{{"currency", "NGN"},
                                                           {"balance", d.wallet.balance},
                                                           {"pending_withdrawals", d.wallet.pending_withdrawals},
                                                           {"in_play", d.wallet.in_play}}},
                            {"recent_entries", std::move(recent)},
                            {"limits", limits_json(d.limits, cooling_off)}});
  };
}

RouteHandler lock_player(players::PlayerAdmin& admin, bool lock) {
  return [&admin, lock](Call call) -> Awaitable<Response> {
    auto reason = required_reason(call.body());
    auto user = co_await admin.set_locked(actor_of(call), call.param("id"), lock, std::move(reason));
    co_return http::json_response(Status::ok, staff_view(user));
  };
}

RouteHandler lower_player_limits(players::PlayerAdmin& admin, std::chrono::milliseconds cooling_off) {
  return [&admin, cooling_off](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    auto reason = required_reason(body);
    std::vector<players::OperatorLimit> lowered;
    for (const auto& r : limit_requests(body)) {
      if (!r.amount)
        throw domain::Error::validation("An operator lowers limits; it never removes one")
            .detail("limits", "every amount must be a positive kobo integer");
      lowered.push_back({r.kind, r.period, *r.amount});
    }
    const auto after = co_await admin.lower_limits(actor_of(call), call.param("id"), std::move(lowered), reason);
    co_return http::json_response(Status::ok, limits_json(after, cooling_off));
  };
}

RouteHandler set_player_tier(players::PlayerAdmin& admin) {
  return [&admin](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    auto reason = required_reason(body);
    std::optional<domain::KycTier> tier;
    const auto* given = body.if_contains("tier");
    bool valid = given && given->is_null();
    if (given && given->is_int64()) {
      tier = domain::kyc_tier_from_int(given->as_int64());
      valid = tier.has_value();
    }
    if (!valid)
      throw domain::Error::validation("The tier is not valid")
          .detail("tier", "0 (registered), 1 (phone verified), 2 (identity verified), or null to follow the proofs");
    auto user = co_await admin.set_tier(actor_of(call), call.param("id"), tier, std::move(reason));
    co_return http::json_response(Status::ok, staff_view(user));
  };
}

}  // namespace b2w::api
