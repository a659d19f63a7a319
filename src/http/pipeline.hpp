#pragma once
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/api_error.hpp"
#include "http/reply.hpp"
#include "http/request_identity.hpp"
#include "http/router.hpp"
#include "http/types.hpp"

namespace b2w::http {

// Admission before routing (rate limiting): throws ApiError to refuse; returns
// headers to add to the response (e.g. RateLimit-Remaining).
class RequestGuard {
 public:
  virtual ~RequestGuard() = default;
  // Cheap, synchronous: whether admit() needs to run for this path at all.
  virtual bool covers(std::string_view path) const = 0;
  virtual Awaitable<std::vector<std::pair<std::string, std::string>>> admit(RequestContext& ctx) const = 0;
};

// Turns a failure a handler threw that is not an ApiError (the services' domain errors) into one, or
// returns nothing to let it be a 500. The API layer provides it (api/errors.hpp), so this layer knows
// nothing of the domain.
using ErrorTranslator = std::optional<ApiError> (*)(const std::exception& failure);

// Everything between a parsed request and its response: identity (request id,
// client ip), routing (404/405, HEAD), error mapping and the access log.
class Pipeline {
 public:
  Pipeline(const Router& router, ProxyTrust proxies, const RequestGuard* guard = nullptr,
           ErrorTranslator translate = nullptr)
      : router_(router), proxies_(std::move(proxies)), guard_(guard), translate_(translate) {}

  // `started`: when the request's first bytes were read (the access line's duration_us counts from there).
  Awaitable<Reply> handle(Request& request, std::string_view peer_ip,
                          std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now()) const;

  // The answer to a request the connection could not accept (bad syntax, limits), after which
  // the connection closes. `partial` may hold whatever headers were parsed.
  Reply reject(Status status, std::string_view code, std::string_view message, const Request& partial,
               std::string_view peer_ip) const;

 private:
  const Router& router_;
  ProxyTrust proxies_;
  const RequestGuard* guard_;
  ErrorTranslator translate_;
};

}  // namespace b2w::http
