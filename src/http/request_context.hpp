#pragma once
#include <boost/json/value.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request_identity.hpp"
#include "http/types.hpp"
#include "http/upgrade.hpp"
#include "security/jwt.hpp"

namespace b2w::http {

// Decodes %XX escapes and '+' (form encoding) in a query component; malformed escapes stay as they are.
std::string percent_decode(std::string_view in);

using PathParams = std::vector<std::pair<std::string_view, std::string_view>>;

// What a handler sees of one request: the message, the matched path
// parameters and the request's identity for logs and error bodies.
struct RequestContext {
  Request& request;
  std::string_view path;   // without the query string
  std::string_view query;  // without the '?'
  PathParams params;
  std::string request_id;
  std::string client_ip;
  // The route's pattern ("/api/v1/bets/{id}"), empty when no route matched: for error reports.
  std::string_view route;
  // The request's trace (request_identity.hpp): its id for the logs, the headers it came with for outbound calls.
  Trace trace;
  // The authenticated user's id once authentication found one (for error reports; never an email).
  mutable std::string user_id;
  // The access token's claims when a request guard already verified them (the rate-limit guard does),
  // so that authentication does not verify the signature twice.
  std::optional<security::Claims> verified_token;
  // Set by a route that answers 101 to take the connection over (http/upgrade.hpp).
  UpgradeHandler upgrade;

  // The value of {name} in the matched route; empty when absent.
  std::string_view param(std::string_view name) const;
  // The query parameter, percent-decoded ("+" is a space, as in forms), if present.
  std::optional<std::string> query_param(std::string_view name) const;
  // The body parsed as a JSON object; throws ApiError invalid_json otherwise.
  boost::json::value json_body() const;
};

}  // namespace b2w::http
