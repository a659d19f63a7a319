#pragma once
#include <cstdint>
#include <string>

namespace b2w::kv::redis {

// Where and how to connect, from a redis:// or rediss:// URL:
//   redis[s]://[[user]:password@]host[:port][/db]
struct Endpoint {
  std::string host;
  std::uint16_t port = 6379;
  bool tls = false;
  std::string user;      // empty: AUTH with the password only
  std::string password;  // empty: no AUTH
  int db = 0;
};

// Throws std::invalid_argument with a message that never contains the password.
Endpoint parse_url(const std::string& url);

}  // namespace b2w::kv::redis
