#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// A page as the API shows it, {"data": [...], "next_cursor": string|null}, from rows read with one more
// than the page's limit (the extra row only tells that a next page exists). `key_of(row)` gives the
// row's (time, id) cursor position, `render(row)` its JSON.
template <typename Row, typename KeyOf, typename Render>
boost::json::object page_json(std::vector<Row>& rows, const PageRequest& page, KeyOf key_of, Render render) {
  const bool more = static_cast<int>(rows.size()) > page.limit;
  if (more) rows.pop_back();
  boost::json::array data;
  data.reserve(rows.size());
  for (const auto& row : rows) data.push_back(render(row));
  boost::json::value next = nullptr;
  if (more) {
    const auto [at, id] = key_of(rows.back());
    next = encode_cursor(at, id);
  }
  return {{"data", std::move(data)}, {"next_cursor", std::move(next)}};
}

}  // namespace b2w::api
