#include "api/audit.hpp"

#include <boost/json/parse.hpp>

#include "api/pagination.hpp"
#include "api/query_params.hpp"
#include "http/api_error.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::ApiError;
using http::Awaitable;
using http::Response;
using http::Status;

namespace {

constexpr std::size_t kMaxFilterLength = 200;

std::optional<std::string> text_param(const http::RequestContext& ctx, const char* name) {
  auto value = ctx.query_param(name);
  if (value && (value->empty() || value->size() > kMaxFilterLength))
    throw ApiError::validation().detail(name, "must be 1 to " + std::to_string(kMaxFilterLength) + " characters");
  return value;
}

store::AuditFilter audit_filter(const http::RequestContext& ctx, const PageRequest& page) {
  store::AuditFilter f;
  f.actor_id = text_param(ctx, "actor");
  if (const auto entity = text_param(ctx, "entity")) {
    const auto colon = entity->find(':');
    f.entity_type = entity->substr(0, colon);
    if (colon != std::string::npos) f.entity_id = entity->substr(colon + 1);
    if (f.entity_type->empty() || (f.entity_id && f.entity_id->empty()))
      throw ApiError::validation().detail("entity", "must be a type (market) or a type and an id (market:mkt_…)");
  }
  f.from = time_param(ctx, "from");
  f.to = time_param(ctx, "to");
  f.limit = page.limit;
  if (page.after) f.before_seq = page.after->first;
  return f;
}

// The stored JSON text as JSON (it was written by our own serializer); NULL as null.
boost::json::value json_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  if (ec) return boost::json::value(*text);
  return value;
}

boost::json::object record_json(const store::AuditRecord& r) {
  boost::json::value request_id = nullptr;
  if (!r.request_id.empty()) request_id = r.request_id;
  return {{"id", r.id},
          {"seq", r.seq},
          {"actor_id", r.actor_id},
          {"actor_role", r.actor_role},
          {"action", r.action},
          {"entity_type", r.entity_type},
          {"entity_id", r.entity_id},
          {"before", json_or_null(r.before)},
          {"after", json_or_null(r.after)},
          {"request_id", std::move(request_id)},
          {"created_at", rfc3339(r.created_at)},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

}  // namespace

RouteHandler audit_log(store::AuditRepository& audit) {
  return [&audit](Call call) -> Awaitable<Response> {
    const auto page = page_request(call.ctx);
    auto rows = co_await audit.page(audit_filter(call.ctx, page));
    co_return http::json_response(
        Status::ok, page_json(
                        rows, page, [](const store::AuditRecord& r) { return std::pair(r.seq, r.id); }, record_json));
  };
}

}  // namespace b2w::api
