#include "api/idempotency.hpp"

#include "http/api_error.hpp"
#include "http/response.hpp"
#include "util/digest.hpp"

namespace b2w::api {
namespace {

constexpr std::chrono::hours kKeep{24};
// A claim still "in progress" after this long belongs to a task that died (a live request ends within its
// dependencies' timeouts, Paystack's included); a retry may take it over. Payment ids derive from
// (user, key), so even a takeover of a slow live request cannot move money twice.
constexpr std::chrono::seconds kStale{30};

}  // namespace

std::string idempotency_key(const http::RequestContext& ctx) {
  const auto header = ctx.request["Idempotency-Key"];
  std::string key(header.data(), header.size());
  bool ok = !key.empty() && key.size() <= 255;
  for (char c : key) ok = ok && c > 0x20 && c < 0x7f;
  if (!ok)
    throw http::ApiError::validation("An Idempotency-Key header is required on requests that move money")
        .detail("Idempotency-Key", "must be 1 to 255 printable characters, unique per operation (e.g. a UUID)");
  return key;
}

http::Awaitable<http::Response> idempotent(store::IdempotencyStore& keys, const http::RequestContext& ctx,
                                           const std::string& user_id,
                                           const std::function<http::Awaitable<http::Response>()>& handler) {
  const auto key = idempotency_key(ctx);
  std::string fingerprint(ctx.request.method_string());
  fingerprint += ' ';
  fingerprint += ctx.path;
  fingerprint += '\n';
  fingerprint += ctx.request.body();
  const auto claim = co_await keys.claim(user_id, key, to_hex(sha256(fingerprint)), kKeep, kStale);
  switch (claim.outcome) {
    case store::IdempotencyStore::Outcome::mismatch:
      throw http::ApiError(http::Status::unprocessable_entity, "idempotency_key_reused",
                           "This Idempotency-Key was used with a different request");
    case store::IdempotencyStore::Outcome::in_progress:
      throw http::ApiError(http::Status::conflict, "request_in_progress",
                           "A request with this Idempotency-Key is still being processed; retry shortly");
    case store::IdempotencyStore::Outcome::replay: {
      auto res = http::raw_json_response(static_cast<http::Status>(claim.status), claim.body);
      res.set("Idempotent-Replayed", "true");
      co_return res;
    }
    case store::IdempotencyStore::Outcome::claimed:
      break;
  }

  std::optional<http::Response> res;
  std::exception_ptr failure;
  std::optional<http::Response> stored_error;  // a 4xx is an answer too: a retry gets the same one
  try {
    res = co_await handler();
  } catch (const http::ApiError& e) {
    failure = std::current_exception();
    if (static_cast<int>(e.status()) < 500)
      stored_error = http::error_response(e.status(), e.code(), e.what(), ctx.request_id, &e.details());
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    // 5xx and dependency failures release the key so the client can retry.
    if (stored_error)
      co_await keys.complete(user_id, key, static_cast<int>(stored_error->result_int()), stored_error->body());
    else
      co_await keys.release(user_id, key);
    std::rethrow_exception(failure);
  }
  if (res->result_int() < 500)
    co_await keys.complete(user_id, key, static_cast<int>(res->result_int()), res->body());
  else
    co_await keys.release(user_id, key);
  co_return std::move(*res);
}

}  // namespace b2w::api
