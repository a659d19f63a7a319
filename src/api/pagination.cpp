#include "api/pagination.hpp"

#include <charconv>

#include "http/api_error.hpp"
#include "security/base64url.hpp"

namespace b2w::api {

std::string encode_cursor(std::int64_t created_at, const std::string& id) {
  return security::base64url_encode(std::to_string(created_at) + ":" + id);
}

PageRequest page_request(const http::RequestContext& ctx) {
  PageRequest page;
  if (auto limit = ctx.query_param("limit")) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || n < 1 || n > 100)
      throw http::ApiError::validation().detail("limit", "must be an integer from 1 to 100");
    page.limit = n;
  }
  if (auto cursor = ctx.query_param("cursor"); cursor && !cursor->empty()) {
    auto decoded = security::base64url_decode(*cursor);
    const auto colon = decoded ? decoded->find(':') : std::string::npos;
    std::int64_t at = 0;
    bool ok = colon != std::string::npos && colon + 1 < decoded->size();
    if (ok) {
      auto [ptr, ec] = std::from_chars(decoded->data(), decoded->data() + colon, at);
      ok = ec == std::errc() && ptr == decoded->data() + colon;
    }
    if (!ok) throw http::ApiError::validation().detail("cursor", "is not a cursor this API returned");
    page.after = std::make_pair(at, decoded->substr(colon + 1));
  }
  return page;
}

}  // namespace b2w::api
