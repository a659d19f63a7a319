#pragma once
#include <functional>
#include <string>

#include "http/request_context.hpp"
#include "store/idempotency.hpp"

namespace b2w::api {

// Runs a money-moving POST at most once per (user, Idempotency-Key): the first response
// (2xx or 4xx) is stored 24 h and replayed for a retry with the same body; the same key
// with another body is 422 idempotency_key_reused; a retry while the first still runs is
// 409 request_in_progress. The header is required (422 when missing or malformed).
http::Awaitable<http::Response> idempotent(store::IdempotencyStore& keys, const http::RequestContext& ctx,
                                           const std::string& user_id,
                                           const std::function<http::Awaitable<http::Response>()>& handler);

// The key, validated (1 to 255 printable characters).
std::string idempotency_key(const http::RequestContext& ctx);

}  // namespace b2w::api
