#include "identity/google_keys.hpp"

#include <stdexcept>

#include "domain/error.hpp"
#include "net/http_client.hpp"
#include "observability/log.hpp"

namespace b2w::identity {

namespace {

using Cache = SingleFlightCache<JwksCachePolicy>;

// Throws with the step that failed (connect, status, parse) as the reason; the URL is configuration, never a secret.
Awaitable<Cache::Fetched> fetch_keys(std::shared_ptr<net::HttpClient> http, GoogleKeysOptions options) {
  net::OutboundRequest request;
  request.headers.emplace_back("Accept", "application/json");
  auto reply = co_await http->send(options.jwks_url, std::move(request), options.timeout);
  if (reply.status != 200) throw std::runtime_error("status " + std::to_string(reply.status));
  auto parsed = security::GoogleKeySet::parse(reply.body);
  if (!parsed || parsed->size() == 0) throw std::runtime_error(parsed ? "no usable RS256 key" : "not a JWKS document");
  const auto max_age = security::cache_control_max_age(reply.header("Cache-Control"));
  log::info("google jwks fetched")
      .num("keys", static_cast<std::int64_t>(parsed->size()))
      .num("skipped", static_cast<std::int64_t>(parsed->skipped()))
      .num("max_age_s", max_age ? max_age->count() : -1);
  Cache::Fetched fetched{std::make_shared<const security::GoogleKeySet>(std::move(*parsed)), max_age};
  co_return fetched;
}

// The HTTP client is the fetch's own (shared), so a fetch in flight outlives GoogleKeys.
Cache make_cache(GoogleKeysOptions options) {
  const auto wait = options.timeout;
  return Cache(
      JwksCachePolicy(), wait,
      [http = std::make_shared<net::HttpClient>(), options = std::move(options)] { return fetch_keys(http, options); },
      [](std::string_view reason) { log::warn("google jwks not fetched").str("reason", reason); });
}

}  // namespace

GoogleKeys::GoogleKeys(GoogleKeysOptions options) : cache_(make_cache(std::move(options))) {}

GoogleKeys::~GoogleKeys() = default;

Awaitable<GoogleKeySetPtr> GoogleKeys::current() {
  return obtain(JwksCachePolicy::Need::any_set);
}

Awaitable<GoogleKeySetPtr> GoogleKeys::after_unknown_kid() {
  return obtain(JwksCachePolicy::Need::unknown_kid);
}

Awaitable<GoogleKeySetPtr> GoogleKeys::obtain(JwksCachePolicy::Need need) {
  auto keys = co_await cache_.get(need);
  if (!keys)
    throw domain::Error(domain::ErrorKind::unavailable, "google_unavailable",
                        "Google sign-in is unavailable; try again shortly");
  co_return keys;
}

}  // namespace b2w::identity
