#include "api/query_params.hpp"

#include "http/api_error.hpp"
#include "util/time.hpp"

namespace b2w::api {

std::optional<std::int64_t> time_param(const http::RequestContext& ctx, const char* name) {
  auto text = ctx.query_param(name);
  if (!text) return std::nullopt;
  auto at = parse_rfc3339(*text);  // already percent-decoded: a "+" offset is sent as %2B
  if (!at) throw http::ApiError::validation().detail(name, "must be an RFC 3339 time such as 2026-12-01T18:00:00Z");
  return at;
}

}  // namespace b2w::api
