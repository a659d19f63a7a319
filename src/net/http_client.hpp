#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b2w::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct OutboundRequest {
  std::string method = "GET";  // GET or POST
  std::string target;          // path and query, appended to the base URL's path
  std::string body;
  Headers headers;
};

struct OutboundReply {
  int status = 0;
  std::string body;
  Headers headers;
  // The first header of that name (case-insensitive); empty when absent.
  std::string header(std::string_view name) const;
};

// The request never reached the server (DNS, connect, TLS): safe to retry.
class NotSent : public std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The request was (or may have been) sent but no complete answer came back.
class NoAnswer : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A small HTTP/1.1 client for providers' APIs over https (certificate and host verified) or http (tests and
// fakes). One connection per call, each step bounded by `timeout`; runs on the caller's executor. Replies are
// read up to 8 MiB (a casino's game catalogue is a few MiB). The TLS context (the system CA bundle, about
// 1.5 MB once parsed) is made on the first https call, not at start-up: a process that never calls a provider
// never holds it. A call made for a request carries the request's trace headers (observability/trace.hpp).
class HttpClient {
 public:
  HttpClient() = default;
  boost::asio::awaitable<OutboundReply> send(std::string base_url, OutboundRequest request,
                                             std::chrono::milliseconds timeout);

  static constexpr std::uint64_t kMaxReplyBytes = 8 * 1024 * 1024;

 private:
  boost::asio::ssl::context& tls();

  std::once_flag tls_once_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace b2w::net
