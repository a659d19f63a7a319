#pragma once
#include <boost/assert/source_location.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

// Error reporting to Sentry (issue 25): unhandled errors (500 answers, failed background rounds, start-up failures)
// become events sent to the DSN's envelope endpoint by one sender thread of its own, through net::HttpClient. A
// report never waits: it is queued (at most kMaxQueued; past that, or past kPerMinute a minute, it is dropped and
// counted) and the sender posts it with a total deadline. Nothing leaves unscrubbed (scrub()). The wire format and
// what of it is verified from Sentry's documentation: src/observability/README.md.
namespace b2w::sentry {

// SENTRY_DSN: "<scheme>://<public key>[:<secret>]@<host>[:<port>]/[<path>/]<project id>".
struct Dsn {
  std::string scheme;  // https, or http (the fake in tests)
  std::string public_key;
  std::string host;
  std::string port;                   // empty: the scheme's
  std::string path;                   // "" or "/prefix" (a DSN with a path before the project id)
  std::string project_id;             // digits
  std::string base_url() const;       // "https://host[:port][/prefix]"
  std::string envelope_path() const;  // "/api/<project id>/envelope/"
};
std::optional<Dsn> parse_dsn(std::string_view text);

// One error, as the code that caught it knows it.
struct Report {
  std::string type;       // what failed: the exception's kind or a name such as "settlement_resumer_round"
  std::string message;    // what it said (scrubbed before it leaves)
  std::string component;  // "http", "settlement_resumer", "payment_reconciler", "live_bets", "startup"
  std::string level = "error";
  // Request errors only.
  std::string request_id;
  std::string trace_id;
  std::string method;
  std::string route;    // the route's template, never the path (which may hold ids)
  std::string user_id;  // the only thing of the user that is sent
};

struct Options {
  Dsn dsn;
  std::string release;                      // APP_VERSION
  std::string environment;                  // APP_ENV
  std::string server_name;                  // the host's name
  std::chrono::milliseconds timeout{5000};  // connect and each step; the whole post is bounded by 2x this
};

inline constexpr std::size_t kMaxQueued = 64;
inline constexpr int kPerMinute = 60;
inline constexpr std::size_t kMaxMessage = 1024;

// Text safe to send: configured secrets (log::redact), e-mail addresses, runs of 10+ digits (card, account, BVN and
// phone numbers), bearer tokens and JWTs replaced; cut to kMaxMessage bytes.
std::string scrub(std::string_view text);
// "Sentry sentry_version=7, sentry_key=<key>, sentry_client=bet2wealth/<release>"
std::string auth_header(const Options& options);
// The envelope of one event: its header line, the item's header line, the event (JSON), each ending in "\n".
std::string envelope(const Options& options, const Report& report, const boost::source_location& where,
                     std::string_view event_id, std::int64_t now_micros);
std::string new_event_id();
// The exception's class, demangled ("b2w::store::QueryError").
std::string type_name(const std::exception& e);  // 32 lower-case hex digits

// The process's reporter. start() before the first report; stop() sends what is queued (at most `drain`) and ends
// the sender. Without start() (no SENTRY_DSN), report() does nothing.
void start(Options options);
void stop(std::chrono::milliseconds drain);
bool enabled();
// Never blocks (a mutex held for a push): safe on an I/O thread.
void report(Report report, boost::source_location where = BOOST_CURRENT_LOCATION);

struct Stats {
  std::uint64_t sent = 0;     // accepted by Sentry (2xx)
  std::uint64_t failed = 0;   // refused, unreachable or timed out (not retried)
  std::uint64_t dropped = 0;  // queue full or over the rate limit
};
Stats stats();

}  // namespace b2w::sentry
