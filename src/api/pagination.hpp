#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "http/request_context.hpp"

namespace b2w::api {

// limit (default 20, 1..100) and an opaque cursor: "created_at:id" in base64url.
struct PageRequest {
  int limit = 20;
  std::optional<std::pair<std::int64_t, std::string>> after;  // the last item seen
};
// Throws 422 validation_error naming `limit` or `cursor`.
PageRequest page_request(const http::RequestContext& ctx);
std::string encode_cursor(std::int64_t created_at, const std::string& id);

}  // namespace b2w::api
