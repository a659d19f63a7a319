#include "net/http_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "observability/trace.hpp"

namespace b2w::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::ssl::context& HttpClient::tls() {
  std::call_once(tls_once_, [this] {
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    ctx->set_default_verify_paths();
    ctx->set_verify_mode(asio::ssl::verify_peer);
    ctx->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
    tls_ = std::move(ctx);
  });
  return *tls_;
}

namespace {

template <typename Stream>
asio::awaitable<OutboundReply> exchange(Stream& stream, beast::tcp_stream& tcp, bhttp::request<bhttp::string_body>& req,
                                        std::chrono::milliseconds timeout) {
  tcp.expires_after(timeout);
  auto [write_ec, written] = co_await bhttp::async_write(stream, req, use_tuple);
  if (write_ec) throw NoAnswer("write failed: " + write_ec.message());
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(HttpClient::kMaxReplyBytes);
  tcp.expires_after(timeout);
  auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
  if (read_ec) throw NoAnswer("read failed: " + read_ec.message());
  OutboundReply reply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body()), {}};
  for (const auto& field : parser.get()) reply.headers.emplace_back(field.name_string(), field.value());
  co_return reply;
}

}  // namespace

std::string OutboundReply::header(std::string_view name) const {
  for (const auto& [field, value] : headers)
    if (beast::iequals(field, name)) return value;
  return {};
}

asio::awaitable<OutboundReply> HttpClient::send(std::string base_url, OutboundRequest request,
                                                std::chrono::milliseconds timeout) {
  // The trace of the request this call is made for (none outside a request), passed on as it came in. Read before
  // the first suspension: it is the caller's step that runs this far.
  if (const auto* trace = trace::current()) {
    if (!trace->amzn.empty()) request.headers.emplace_back("X-Amzn-Trace-Id", trace->amzn);
    if (!trace->traceparent.empty()) request.headers.emplace_back("traceparent", trace->traceparent);
  }
  auto url = boost::urls::parse_absolute_uri(base_url);
  if (!url) throw NotSent("bad base URL");
  const bool tls = url->scheme() == "https";
  const std::string host(url->host());
  const std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
  std::string target(url->path());
  while (!target.empty() && target.back() == '/') target.pop_back();
  target += request.target;
  if (target.empty()) target = "/";

  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(ex);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host, port, use_tuple);
  if (resolve_ec) throw NotSent("cannot resolve the provider's host");

  const auto verb = request.method == "POST" ? bhttp::verb::post : bhttp::verb::get;
  bhttp::request<bhttp::string_body> req{verb, target, 11};
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::user_agent, "bet2wealth-backend");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (verb == bhttp::verb::post) {
    req.body() = std::move(request.body);
    req.prepare_payload();
  }

  beast::tcp_stream tcp(ex);
  tcp.expires_after(timeout);
  auto [connect_ec, endpoint] = co_await tcp.async_connect(endpoints, use_tuple);
  if (connect_ec) throw NotSent("cannot connect to the provider: " + connect_ec.message());
  if (!tls) co_return co_await exchange(tcp, tcp, req, timeout);

  asio::ssl::context* tls_ctx = nullptr;
  try {
    tls_ctx = &this->tls();
  } catch (const std::exception&) {
    throw NotSent("cannot set up TLS (system CA certificates)");
  }
  asio::ssl::stream<beast::tcp_stream&> stream(tcp, *tls_ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) throw NotSent("cannot set TLS SNI");
  stream.set_verify_callback(asio::ssl::host_name_verification(host));
  tcp.expires_after(timeout);
  auto [hs_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, use_tuple);
  if (hs_ec) throw NotSent("TLS handshake with the provider failed: " + hs_ec.message());
  co_return co_await exchange(stream, tcp, req, timeout);
}

}  // namespace b2w::net
