#include "observability/sentry.hpp"

#include <cxxabi.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <typeinfo>

#include "net/http_client.hpp"
#include "observability/log.hpp"
#include "observability/scrub.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace b2w::sentry {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_email_local(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain(char c) {
  return is_alnum(c) || c == '.' || c == '-';
}
bool is_token_char(char c) {
  return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '=' || c == '+' || c == '/';
}

// E-mail addresses become "[email]".
std::string without_emails(std::string text) {
  std::size_t from = 0;
  for (;;) {
    const auto at = text.find('@', from);
    if (at == std::string::npos) return text;
    std::size_t begin = at;
    while (begin > 0 && is_email_local(text[begin - 1])) --begin;
    std::size_t end = at + 1;
    while (end < text.size() && is_domain(text[end])) ++end;
    const auto domain = std::string_view(text).substr(at + 1, end - at - 1);
    if (begin < at && domain.find('.') != std::string_view::npos) {
      text.replace(begin, end - begin, "[email]");
      from = begin + 7;
    } else {
      from = at + 1;
    }
  }
}

// "Bearer <anything>" and JWTs ("eyJ..." with its dots) become "[token]".
std::string without_tokens(std::string text) {
  for (const std::string_view mark : {"Bearer ", "bearer ", "eyJ"}) {
    std::size_t from = 0;
    for (;;) {
      const auto at = text.find(mark, from);
      if (at == std::string::npos) break;
      const bool bearer = mark != "eyJ";
      const auto start = bearer ? at + mark.size() : at;
      auto end = start;
      while (end < text.size() && is_token_char(text[end])) ++end;
      if (!bearer && end - start < 16) {  // a word that happens to start so
        from = at + mark.size();
        continue;
      }
      text.replace(start, end - start, "[token]");
      from = start + 7;
    }
  }
  return text;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

struct Queued {
  Report report;
  boost::source_location where;
  std::string event_id;
  std::int64_t at = 0;  // epoch µs
};

// The queue and the thread that empties it, one event at a time, each on an io_context of its own that lives
// no longer than the event's deadline (whatever is left of a stuck call goes with it).
class Sender {
 public:
  explicit Sender(Options options) : options_(std::move(options)), thread_([this] { run(); }) {}
  ~Sender() { stop(std::chrono::milliseconds(0)); }
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void push(Queued item) {
    std::uint64_t dropped_now = 0;
    {
      std::lock_guard lock(mu_);
      const auto now = Clock::now();
      if (now - window_start_ >= std::chrono::minutes(1)) {
        window_start_ = now;
        window_count_ = 0;
      }
      if (stopping_ || queue_.size() >= kMaxQueued || window_count_ >= kPerMinute) {
        dropped_now = ++dropped_;
        // Said in the log at the first drop and then at most every 10 s, with the running count.
        if (now - last_drop_note_ < std::chrono::seconds(10) && last_drop_note_ != Clock::time_point()) dropped_now = 0;
        if (dropped_now != 0) last_drop_note_ = now;
      } else {
        ++window_count_;
        queue_.push_back(std::move(item));
        cv_.notify_one();
        return;
      }
    }
    if (dropped_now != 0)
      log::warn("error reports dropped (queue full or rate limit)")
          .num("dropped", static_cast<std::int64_t>(dropped_now))
          .num("max_queued", static_cast<std::int64_t>(kMaxQueued))
          .num("per_minute", kPerMinute);
  }

  void stop(std::chrono::milliseconds drain) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      stopping_ = true;
      drain_until_ = Clock::now() + drain;
    }
    cv_.notify_all();
    thread_.join();
  }

  Stats stats() {
    std::lock_guard lock(mu_);
    return Stats{sent_, failed_, dropped_};
  }

 private:
  void run() {
    for (;;) {
      Queued item;
      std::chrono::milliseconds budget = 2 * options_.timeout;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        if (stopping_) {
          const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(drain_until_ - Clock::now());
          if (left.count() <= 0) {
            dropped_ += queue_.size();
            queue_.clear();
            return;
          }
          budget = std::min(budget, left);
        }
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      const bool ok = post(item, budget);
      std::lock_guard lock(mu_);
      ++(ok ? sent_ : failed_);
    }
  }

  bool post(const Queued& item, std::chrono::milliseconds budget) {
    net::OutboundRequest request{
        "POST",
        options_.dsn.envelope_path(),
        envelope(options_, item.report, item.where, item.event_id, item.at),
        {{"Content-Type", "application/x-sentry-envelope"}, {"X-Sentry-Auth", auth_header(options_)}}};
    auto status = std::make_shared<int>(0);
    asio::io_context io;
    auto step = std::min(options_.timeout, budget);
    asio::co_spawn(
        io,
        [](net::HttpClient& http, std::string base, net::OutboundRequest req, std::chrono::milliseconds timeout,
           std::shared_ptr<int> out) -> asio::awaitable<void> {
          try {
            const auto reply = co_await http.send(std::move(base), std::move(req), timeout);
            *out = reply.status;
          } catch (const std::exception&) {
            *out = -1;
          }
        }(http_, options_.dsn.base_url(), std::move(request), step, status),
        asio::detached);
    // In short slices, so that an exit's drain time also ends a post in flight.
    const auto deadline = Clock::now() + budget;
    while (!io.stopped() && Clock::now() < deadline && !past_drain()) io.run_for(std::chrono::milliseconds(50));
    const bool ok = *status >= 200 && *status < 300;
    if (!ok) {
      // Not through report(): a failing Sentry must not feed itself.
      log::warn("error report not delivered")
          .str("event_id", item.event_id)
          .num("status", *status)
          .str("outcome", *status == 0  ? "timeout"
                          : *status < 0 ? "unreachable"
                                        : "refused");
    }
    return ok;
  }

  bool past_drain() {
    std::lock_guard lock(mu_);
    return stopping_ && Clock::now() >= drain_until_;
  }

  Options options_;
  net::HttpClient http_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  Clock::time_point drain_until_;
  Clock::time_point window_start_;
  int window_count_ = 0;
  Clock::time_point last_drop_note_;
  std::uint64_t sent_ = 0, failed_ = 0, dropped_ = 0;
  std::thread thread_;  // last: started once everything above exists
};

std::mutex g_mu;
std::unique_ptr<Sender> g_sender;  // set by start(), gone after stop()
std::atomic<Sender*> g_active{nullptr};
Stats g_final;  // the stopped sender's counts

}  // namespace

std::string Dsn::base_url() const {
  return scheme + "://" + host + (port.empty() ? "" : ":" + port) + path;
}

std::string Dsn::envelope_path() const {
  return "/api/" + project_id + "/envelope/";
}

std::optional<Dsn> parse_dsn(std::string_view text) {
  Dsn dsn;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  dsn.scheme = std::string(text.substr(0, scheme_end));
  if (dsn.scheme != "https" && dsn.scheme != "http") return std::nullopt;
  auto rest = text.substr(scheme_end + 3);
  const auto at = rest.find('@');
  if (at == std::string_view::npos) return std::nullopt;
  auto key = rest.substr(0, at);
  key = key.substr(0, key.find(':'));  // a legacy secret key after ':' is not used
  if (key.empty()) return std::nullopt;
  for (char c : key)
    if (!is_alnum(c)) return std::nullopt;
  dsn.public_key = std::string(key);
  rest = rest.substr(at + 1);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto host_port = rest.substr(0, slash);
  if (const auto colon = host_port.rfind(':'); colon != std::string_view::npos && host_port.back() != ']') {
    dsn.port = std::string(host_port.substr(colon + 1));
    host_port = host_port.substr(0, colon);
    if (dsn.port.empty()) return std::nullopt;
    for (char c : dsn.port)
      if (!is_digit(c)) return std::nullopt;
  }
  if (host_port.empty()) return std::nullopt;
  for (char c : host_port)
    if (!is_domain(c) && c != '[' && c != ']' && c != ':') return std::nullopt;
  dsn.host = std::string(host_port);
  auto path = rest.substr(slash);  // "/[prefix/]<project>"
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const auto last = path.rfind('/');
  const auto project = path.substr(last + 1);
  if (project.empty()) return std::nullopt;
  for (char c : project)
    if (!is_digit(c)) return std::nullopt;
  dsn.project_id = std::string(project);
  dsn.path = std::string(path.substr(0, last));
  for (char c : dsn.path)
    if (!is_alnum(c) && c != '/' && c != '-' && c != '_' && c != '.') return std::nullopt;
  return dsn;
}

std::string scrub(std::string_view text) {
  std::string out = log::redact(std::string(text));
  out = without_tokens(scrub::without_long_numbers(without_emails(std::move(out))));
  if (out.size() > kMaxMessage) {
    out.resize(kMaxMessage);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();  // whole UTF-8
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "...";
  }
  return out;
}

std::string auth_header(const Options& options) {
  return "Sentry sentry_version=7, sentry_key=" + options.dsn.public_key + ", sentry_client=bet2wealth/" +
         options.release;
}

std::string type_name(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(mangled);
}

std::string new_event_id() {
  return random_hex(16);
}

std::string envelope(const Options& options, const Report& report, const boost::source_location& where,
                     std::string_view event_id, std::int64_t now_micros) {
  const auto timestamp = rfc3339(now_micros);
  json::object tags;
  const auto tag = [&tags](const char* name, const std::string& value) {
    if (!value.empty()) tags[name] = scrub(value);
  };
  tag("component", report.component);
  tag("request_id", report.request_id);
  tag("trace_id", report.trace_id);
  tag("method", report.method);
  tag("route", report.route);

  // Where the error was caught: the one frame we can name without unwinding (no stack walk in a release build).
  json::object frame{
      {"filename", where.file_name()}, {"function", where.function_name()}, {"lineno", where.line()}, {"in_app", true}};
  json::object exception{{"type", report.type.empty() ? std::string("error") : scrub(report.type)},
                         {"value", scrub(report.message)},
                         {"mechanism", json::object{{"type", "generic"}, {"handled", false}}},
                         {"stacktrace", json::object{{"frames", json::array{frame}}}}};
  json::object event{{"event_id", event_id},
                     {"timestamp", timestamp},
                     {"platform", "native"},
                     {"level", report.level},
                     {"logger", report.component.empty() ? std::string("bet2wealth") : report.component},
                     {"release", options.release},
                     {"environment", options.environment},
                     {"tags", std::move(tags)},
                     {"exception", json::object{{"values", json::array{exception}}}},
                     {"sdk", json::object{{"name", "bet2wealth"}, {"version", options.release}}}};
  if (!options.server_name.empty()) event["server_name"] = options.server_name;
  if (!report.route.empty()) event["transaction"] = (report.method.empty() ? "" : report.method + " ") + report.route;
  if (!report.user_id.empty()) event["user"] = json::object{{"id", scrub(report.user_id)}};
  const auto payload = json::serialize(event);

  json::object header{{"event_id", event_id},
                      {"sent_at", timestamp},
                      {"sdk", json::object{{"name", "bet2wealth"}, {"version", options.release}}}};
  json::object item{{"type", "event"}, {"length", payload.size()}, {"content_type", "application/json"}};
  std::string out = json::serialize(header);
  out += '\n';
  out += json::serialize(item);
  out += '\n';
  out += payload;
  out += '\n';
  return out;
}

void start(Options options) {
  if (options.server_name.empty()) options.server_name = host_name();
  std::lock_guard lock(g_mu);
  if (g_sender) return;
  g_sender = std::make_unique<Sender>(std::move(options));
  g_active.store(g_sender.get());
}

void stop(std::chrono::milliseconds drain) {
  std::unique_ptr<Sender> sender;
  {
    std::lock_guard lock(g_mu);
    sender = std::move(g_sender);
    g_active.store(nullptr);
  }
  if (!sender) return;
  sender->stop(drain);
  const auto counts = sender->stats();
  {
    std::lock_guard lock(g_mu);
    g_final = counts;
  }
  log::info("error reporting stopped")
      .num("sent", static_cast<std::int64_t>(counts.sent))
      .num("failed", static_cast<std::int64_t>(counts.failed))
      .num("dropped", static_cast<std::int64_t>(counts.dropped));
}

bool enabled() {
  return g_active.load() != nullptr;
}

void report(Report report, boost::source_location where) {
  if (!enabled()) return;
  Queued item{std::move(report), where, new_event_id(), 0};
  item.at = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::lock_guard lock(g_mu);  // stop() cannot take the sender away meanwhile
  if (g_sender) g_sender->push(std::move(item));
}

Stats stats() {
  std::lock_guard lock(g_mu);
  return g_sender ? g_sender->stats() : g_final;
}

}  // namespace b2w::sentry
