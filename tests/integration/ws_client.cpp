#include "ws_client.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace b2w::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

WsClient::WsClient(int port, const std::string& target, const std::map<std::string, std::string>& headers,
                   int receive_buffer) {
  boost::system::error_code ec;
  auto& socket = ws_.next_layer();
  socket.open(tcp::v4(), ec);
  if (ec) return;
  if (receive_buffer > 0) socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer), ec);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  if (ec) return;
  ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [name, value] : headers) req.set(name, value);
  }));
  ws_.read_message_max(16 * 1024 * 1024);
  websocket::response_type res;
  ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
  if (ec) {
    refused_status_ = res.result_int() == 101 ? 0 : res.result_int();
    refused_body_ = res.body();
    return;
  }
  open_ = true;
}

WsClient::~WsClient() {
  boost::system::error_code ec;
  ws_.next_layer().close(ec);
}

void WsClient::send(const boost::json::object& message) {
  send_text(boost::json::serialize(message));
}

void WsClient::send_text(const std::string& text) {
  boost::system::error_code ec;
  ws_.text(true);
  ws_.write(asio::buffer(text), ec);
}

void WsClient::read_next() {
  reading_ = true;
  ws_.async_read(buffer_, [this](boost::system::error_code ec, std::size_t) {
    reading_ = false;
    if (ec) {
      ended_ = true;
      if (ec == websocket::error::closed) {
        close_code_ = ws_.reason().code;
        close_reason_ = std::string(ws_.reason().reason.c_str());
      }
      return;
    }
    ++received_;
    inbox_.push_back(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
  });
}

bool WsClient::pump(std::chrono::steady_clock::time_point deadline) {
  while (inbox_.empty() && !ended_ && open_) {
    if (!reading_) read_next();
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    ioc_.restart();
    ioc_.run_one_for(deadline - now);
  }
  return !inbox_.empty();
}

std::optional<boost::json::object> WsClient::next(std::chrono::milliseconds timeout) {
  if (!pump(std::chrono::steady_clock::now() + timeout)) return std::nullopt;
  auto text = std::move(inbox_.front());
  inbox_.pop_front();
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return boost::json::object{{"type", "not_json"}, {"text", text}};
  return std::move(value.as_object());
}

std::optional<boost::json::object> WsClient::wait_for(const std::function<bool(const boost::json::object&)>& match,
                                                      std::chrono::milliseconds timeout,
                                                      std::vector<boost::json::object>* skipped) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto message = next(left);
    if (!message) return std::nullopt;
    if (match(*message)) return message;
    if (skipped) skipped->push_back(std::move(*message));
  }
}

std::optional<boost::json::object> WsClient::wait_type(const std::string& type, std::chrono::milliseconds timeout) {
  return wait_for([&](const boost::json::object& m) { return m.contains("type") && m.at("type") == type.c_str(); },
                  timeout);
}

bool WsClient::wait_closed(std::chrono::milliseconds timeout) {
  if (!open_) return true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ended_) {
    inbox_.clear();
    pump(deadline);
    if (std::chrono::steady_clock::now() >= deadline) break;
  }
  return ended_;
}

}  // namespace b2w::test
