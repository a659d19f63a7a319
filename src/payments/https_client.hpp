#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace b2w::payments {

struct HttpReply {
  int status = 0;
  std::string body;
};

// The request never reached the server (DNS, connect, TLS): safe to retry.
class NotSent : public std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The request was (or may have been) sent but no complete answer came back.
class NoAnswer : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A small HTTP/1.1 client for JSON APIs over https (certificate and host verified) or
// http (tests). One connection per call, bounded by `timeout`; runs on the caller's executor.
// The TLS context (the system CA bundle, about 1.5 MB once parsed) is made on the first https call,
// not at start-up: a process that never calls the provider never holds it.
class HttpsClient {
 public:
  HttpsClient() = default;
  boost::asio::awaitable<HttpReply> post_json(const std::string& base_url, const std::string& path,
                                              const std::string& body,
                                              const std::vector<std::pair<std::string, std::string>>& headers,
                                              std::chrono::milliseconds timeout);

 private:
  boost::asio::ssl::context& tls();

  std::once_flag tls_once_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace b2w::payments
