#include "kv/redis/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <stdexcept>

namespace b2w::kv::redis {

Endpoint parse_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw std::invalid_argument("redis URL: not a URL");
  const boost::urls::url_view& u = *parsed;
  Endpoint e;
  const auto scheme = u.scheme();
  if (scheme == "rediss") {
    e.tls = true;
  } else if (scheme != "redis") {
    throw std::invalid_argument("redis URL: scheme must be redis or rediss");
  }
  e.host = u.host_address();  // decoded; IPv6 without brackets
  if (e.host.empty()) throw std::invalid_argument("redis URL: no host");
  if (u.has_port()) {
    const auto p = u.port_number();
    if (p == 0) throw std::invalid_argument("redis URL: bad port");
    e.port = p;
  }
  if (u.has_userinfo()) {
    e.user = u.user();
    if (u.has_password()) e.password = u.password();
  }
  auto path = std::string(u.path());
  if (!path.empty() && path != "/") {
    const std::string_view digits = std::string_view(path).substr(1);
    int db = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), db);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || db < 0)
      throw std::invalid_argument("redis URL: the path must be a database number");
    e.db = db;
  }
  return e;
}

}  // namespace b2w::kv::redis
