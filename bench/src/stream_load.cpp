// The load client of bench/stream.sh: N WebSocket clients on one thread (Beast), client i subscribed to
// event i % E (SUBSCRIBE "one", the default) or every client to all E events ("all"), reading every message. A
// message's delivery latency is the time from its "published_at_us" (the publisher's clock, the same host) to its
// receipt. Prints one JSON line.
//
// stream_load HOST PORT PATH EVENTS_FILE CLIENTS SECONDS [one|all]
#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Stats {
  bool measuring = false;
  std::int64_t messages = 0;
  std::int64_t connected = 0;
  std::int64_t failed = 0;
  std::int64_t closed = 0;
  std::vector<std::int32_t> latencies_us;  // of the messages received while measuring
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& ioc, Stats& stats, std::string subscribe)
      : ws_(ioc), stats_(stats), subscribe_(std::move(subscribe)) {}

  void start(const tcp::endpoint& endpoint, const std::string& host, const std::string& path) {
    ws_.next_layer().async_connect(endpoint, [self = shared_from_this(), host, path](boost::system::error_code ec) {
      if (ec) return self->fail();
      self->ws_.async_handshake(host, path, [self](boost::system::error_code hec) {
        if (hec) return self->fail();
        self->ws_.text(true);
        self->ws_.async_write(asio::buffer(self->subscribe_), [self](boost::system::error_code wec, std::size_t) {
          if (wec) return self->fail();
          ++self->stats_.connected;
          self->read();
        });
      });
    });
  }

 private:
  void fail() { ++stats_.failed; }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) {
        ++self->stats_.closed;
        return;
      }
      self->received();
      self->read();
    });
  }

  void received() {
    const auto data = buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    static constexpr std::string_view kStamp = "\"published_at_us\":";
    if (const auto at = text.find(kStamp); at != std::string_view::npos && stats_.measuring) {
      std::int64_t published = 0;
      const char* begin = text.data() + at + kStamp.size();
      std::from_chars(begin, text.data() + text.size(), published);
      ++stats_.messages;
      stats_.latencies_us.push_back(static_cast<std::int32_t>(std::max<std::int64_t>(0, now_us() - published)));
    }
    buffer_.consume(buffer_.size());
  }

  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  Stats& stats_;
  std::string subscribe_;
};

double percentile(std::vector<std::int32_t>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7 && argc != 8) {
    std::cerr << "usage: stream_load HOST PORT PATH EVENTS_FILE CLIENTS SECONDS [one|all]\n";
    return 2;
  }
  const std::string host = argv[1];
  const auto port = static_cast<unsigned short>(std::stoi(argv[2]));
  const std::string path = argv[3];
  std::vector<std::string> events;
  {
    std::ifstream in(argv[4]);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) events.push_back(line);
  }
  const int clients = std::stoi(argv[5]);
  const int seconds = std::stoi(argv[6]);
  if (events.empty()) return 2;
  const bool all = argc == 8 && std::string_view(argv[7]) == "all";
  std::string subscribe_all = R"({"op":"subscribe","events":[)";
  for (std::size_t i = 0; i < events.size(); ++i) subscribe_all += (i ? ",\"" : "\"") + events[i] + "\"";
  subscribe_all += "]}";

  asio::io_context ioc(1);
  Stats stats;
  const tcp::endpoint endpoint(asio::ip::make_address(host), port);
  const std::string host_header = host + ":" + std::to_string(port);
  // Connect in waves so the listener's backlog is not overrun.
  int started = 0;
  asio::steady_timer pace(ioc);
  std::function<void()> wave = [&] {
    for (int i = 0; i < 500 && started < clients; ++i, ++started) {
      const auto& event = events[static_cast<std::size_t>(started) % events.size()];
      auto c = std::make_shared<Client>(ioc, stats,
                                        all ? subscribe_all : R"({"op":"subscribe","events":[")" + event + R"("]})");
      c->start(endpoint, host_header, path);
    }
    if (started < clients) {
      pace.expires_after(std::chrono::milliseconds(20));
      pace.async_wait([&](boost::system::error_code) { wave(); });
    }
  };
  wave();
  // Until every client is connected (or 60 s), then measure for `seconds`.
  const auto connect_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (stats.connected + stats.failed < clients && std::chrono::steady_clock::now() < connect_deadline)
    ioc.run_for(std::chrono::milliseconds(50));
  std::cerr << "stream_load: " << stats.connected << " connected, " << stats.failed << " failed\n";
  ioc.run_for(std::chrono::seconds(1));  // subscriptions acknowledged
  stats.latencies_us.reserve(static_cast<std::size_t>(seconds) * (all ? 1'000'000 : 20'000));
  stats.measuring = true;
  const auto t0 = std::chrono::steady_clock::now();
  ioc.run_for(std::chrono::seconds(seconds));
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stats.measuring = false;
  auto& lat = stats.latencies_us;
  std::printf(
      "{\"clients\":%lld,\"failed\":%lld,\"closed\":%lld,\"messages\":%lld,\"messages_per_s\":%.0f,\"p50_ms\":%.2f,"
      "\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
      static_cast<long long>(stats.connected), static_cast<long long>(stats.failed),
      static_cast<long long>(stats.closed), static_cast<long long>(stats.messages),
      static_cast<double>(stats.messages) / elapsed, percentile(lat, 0.5), percentile(lat, 0.99), percentile(lat, 1.0));
  return 0;
}
