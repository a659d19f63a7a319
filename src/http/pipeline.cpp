#include "http/pipeline.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>

#include "http/api_error.hpp"
#include "http/reply.hpp"
#include "http/request_identity.hpp"
#include "http/response.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "observability/sentry.hpp"
#include "observability/trace.hpp"
#include "util/unavailable.hpp"

namespace b2w::http {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// An executor that runs each step of a request's handler with the request's trace as trace::current(), so that
// outbound calls made anywhere below the handler carry it (net::HttpClient) without every service passing it on.
// It forwards every property to the executor it wraps; a step's scope is restored when the step returns (a step of
// another request run inline inside it sets its own).
template <typename Inner>
class TraceExecutor {
 public:
  // Shared, not borrowed: work the handler spawns on its executor (a detached refresh) may outlive the request.
  TraceExecutor(Inner inner, std::shared_ptr<const Trace> trace) : inner_(std::move(inner)), trace_(std::move(trace)) {}

  template <typename Property>
  auto query(const Property& p) const -> decltype(asio::query(std::declval<const Inner&>(), p)) {
    return asio::query(inner_, p);
  }
  template <typename Property>
  auto require(const Property& p) const
      -> TraceExecutor<std::decay_t<decltype(asio::require(std::declval<const Inner&>(), p))>> {
    return {asio::require(inner_, p), trace_};
  }
  template <typename Property>
  auto prefer(const Property& p) const
      -> TraceExecutor<std::decay_t<decltype(asio::prefer(std::declval<const Inner&>(), p))>> {
    return {asio::prefer(inner_, p), trace_};
  }
  template <typename Function>
  void execute(Function f) const {
    inner_.execute([f = std::move(f), trace = trace_]() mutable {
      trace::Scope scope(trace.get());
      std::move(f)();
    });
  }
  friend bool operator==(const TraceExecutor& a, const TraceExecutor& b) noexcept {
    return a.inner_ == b.inner_ && a.trace_ == b.trace_;
  }
  friend bool operator!=(const TraceExecutor& a, const TraceExecutor& b) noexcept { return !(a == b); }

 private:
  template <typename>
  friend class TraceExecutor;
  Inner inner_;
  std::shared_ptr<const Trace> trace_;
};

// The route's guard and handler: nothing when no route matched.
Awaitable<std::optional<Response>> run_route(const RequestGuard* guard, const Router::Match& match, RequestContext& ctx,
                                             std::vector<std::pair<std::string, std::string>>& guard_headers) {
  if (guard && guard->covers(ctx.path)) guard_headers = co_await guard->admit(ctx);
  std::optional<Response> res;
  if (match.handler) {
    res = co_await (*match.handler)(ctx);
    if (match.options.no_store) res->set(Field::cache_control, "no-store");
  }
  co_return res;
}

// A 500's report to Sentry (when SENTRY_DSN is set): the request's identity, never its path or body.
void report_failure(const RequestContext& ctx, const Request& req, std::string type, std::string message) {
  if (!sentry::enabled()) return;
  sentry::Report report;
  report.type = std::move(type);
  report.message = std::move(message);
  report.component = "http";
  report.request_id = ctx.request_id;
  report.trace_id = ctx.trace.id;
  report.method = std::string(req.method_string());
  report.route = std::string(ctx.route);
  report.user_id = ctx.user_id;
  sentry::report(std::move(report));
}

// Splits the request target into path and query; absolute-form targets keep only their path.
bool split_target(std::string_view target, std::string_view& path, std::string_view& query) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    const auto scheme_end = target.find("//") + 2;
    const auto slash = target.find('/', scheme_end);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || target.front() != '/') return false;
  const auto q = target.find('?');
  path = target.substr(0, q);
  query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  if (auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  return true;
}

Reply finish(Response res, const Request& req, std::string request_id, UpgradeHandler upgrade) {
  if (res.result() == Status::switching_protocols && upgrade) {
    res.version(req.version());
    return Reply{std::move(res), std::move(request_id), false, std::move(upgrade)};
  }
  if (beast_http::to_status_class(res.result()) == beast_http::status_class::informational) {
    // A final answer is owed: a 1xx would leave the client waiting for it.
    log::error("handler answered with an interim status").str("request_id", request_id).num("status", res.result_int());
    res = error_response(Status::internal_server_error, "internal_error", "An unexpected error occurred", request_id);
  }
  res.version(req.version());
  return Reply{std::move(res), std::move(request_id), req.method() == Verb::head};  // HEAD answers as GET would
}

void access_log(const Request& req, std::string_view path, const Reply& reply, const std::string& client_ip,
                const Trace& trace, Clock::time_point started) {
  // This request's trace (or none) is the one lines get, whatever step of which request this code runs inside.
  const trace::Scope scope(&trace);
  const std::string_view trace_id = trace.id;
  const auto status = static_cast<int>(reply.response.result_int());
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  metrics::record_request(status, elapsed);
  const auto level = status >= 500 ? log::Level::error : log::Level::info;
  if (!log::enabled(level)) return;
  const auto us = elapsed.count();
  log::Line line(level, "request");
  line.str("request_id", reply.request_id);
  if (!trace_id.empty()) line.str("trace_id", trace_id);
  line.str("method", req.method_string())
      .str("path", path)
      .num("status", status)
      .num("duration_us", us)
      .num("bytes_out", static_cast<std::int64_t>(reply.body_on_wire().size()))
      .str("client_ip", client_ip)
      .str("user_agent", req[Field::user_agent]);
}

// The client address (request_identity.hpp). Every X-Forwarded-For line counts, joined as one list
// (RFC 9110 5.3): a proxy that adds a line of its own (HAProxy) must not leave the client's line to be
// read as the proxy's. Without trusted proxies the header is not even looked at.
std::string client_ip_of(const Request& req, std::string_view peer_ip, const ProxyTrust& proxies) {
  if (proxies.proxies.empty()) return std::string(peer_ip);
  auto [it, end] = req.equal_range("X-Forwarded-For");
  std::string joined;
  for (; it != end; ++it) {
    if (!joined.empty()) joined += ',';
    joined.append(it->value().data(), it->value().size());
  }
  return client_ip_from(joined, peer_ip, proxies);
}

Response error_for(const ApiError& e, const std::string& request_id) {
  auto res = error_response(e.status(), e.code(), e.what(), request_id, &e.details());
  for (const auto& [name, value] : e.headers()) res.set(name, value);
  return res;
}

}  // namespace

Awaitable<Reply> Pipeline::handle(Request& req, std::string_view peer_ip, Clock::time_point started) const {
  RequestContext ctx{req,
                     {},
                     {},
                     {},
                     request_id_from(req["X-Request-Id"], req["X-Amzn-Trace-Id"]),
                     client_ip_of(req, peer_ip, proxies_)};
  ctx.trace = trace::from_headers(req["X-Amzn-Trace-Id"], req["traceparent"]);

  std::optional<Response> res;
  std::exception_ptr failure;
  std::vector<std::pair<std::string, std::string>> guard_headers;
  if (!split_target(req.target(), ctx.path, ctx.query)) {
    res = error_response(Status::bad_request, "invalid_request", "The request target must be an absolute path",
                         ctx.request_id);
  } else {
    const auto match = router_.match(req.method(), ctx.path, ctx.params);
    if (match.pattern) ctx.route = *match.pattern;
    try {
      if (ctx.trace.id.empty()) {
        // No trace to carry: the route runs on this coroutine's own executor.
        auto routed = co_await run_route(guard_, match, ctx, guard_headers);
        res = std::move(routed);
      } else {
        // On the trace's executor: every step of the guard and the handler sees the request's trace.
        const auto outer = co_await asio::this_coro::executor;
        auto traced = std::make_shared<const Trace>(ctx.trace);
        const TraceExecutor<asio::any_io_executor> executor(outer, std::move(traced));
        auto routed =
            co_await asio::co_spawn(executor, run_route(guard_, match, ctx, guard_headers), asio::use_awaitable);
        res = std::move(routed);
      }
    } catch (...) {
      failure = std::current_exception();
    }
    if (!res && !failure && match.path_found) {
      res = error_response(Status::method_not_allowed, "method_not_allowed",
                           "This resource does not support " + std::string(req.method_string()), ctx.request_id);
      res->set(Field::allow, match.allow);
    } else if (!res && !failure) {
      res = error_response(Status::not_found, "not_found", "No resource at this path", ctx.request_id);
    }
  }

  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const ApiError& e) {
      res = error_for(e, ctx.request_id);
    } catch (const ServiceUnavailable& e) {
      metrics::add(metrics::Counter::service_unavailable);
      if (e.dependency() == "database")
        metrics::add(metrics::Counter::unavailable_database);
      else if (e.dependency() == "cache")
        metrics::add(metrics::Counter::unavailable_cache);
      else if (e.dependency() == "blocking pool")
        metrics::add(metrics::Counter::unavailable_blocking_pool);
      log::warn("dependency unavailable")
          .str("request_id", ctx.request_id)
          .str("trace_id", ctx.trace.id)
          .str("dependency", e.dependency());
      res = error_response(Status::service_unavailable, "service_unavailable",
                           "A service this request needs is temporarily unavailable; retry shortly", ctx.request_id);
      res->set(Field::retry_after, "1");
    } catch (const std::exception& e) {
      if (auto translated = translate_ ? translate_(e) : std::nullopt) {
        res = error_for(*translated, ctx.request_id);
      } else {
        log::error("unhandled error")
            .str("request_id", ctx.request_id)
            .str("trace_id", ctx.trace.id)
            .str("path", ctx.path)
            .str("error", e.what());
        report_failure(ctx, req, sentry::type_name(e), e.what());
        res = error_response(Status::internal_server_error, "internal_error", "An unexpected error occurred",
                             ctx.request_id);
      }
    } catch (...) {
      log::error("unhandled error")
          .str("request_id", ctx.request_id)
          .str("trace_id", ctx.trace.id)
          .str("path", ctx.path);
      report_failure(ctx, req, "unknown", "a failure that is not a std::exception");
      res = error_response(Status::internal_server_error, "internal_error", "An unexpected error occurred",
                           ctx.request_id);
    }
  }

  for (const auto& [name, value] : guard_headers) res->set(name, value);
  // Only a route's own 101 hands the connection over (an error answer never does).
  if (res->result() != Status::switching_protocols) ctx.upgrade = nullptr;
  // The trace headers go back as they came (only well-formed ones were kept).
  if (!ctx.trace.amzn.empty()) res->set("X-Amzn-Trace-Id", ctx.trace.amzn);
  if (!ctx.trace.traceparent.empty()) res->set("traceparent", ctx.trace.traceparent);
  Reply reply = finish(std::move(*res), req, std::move(ctx.request_id), std::move(ctx.upgrade));
  access_log(req, ctx.path, reply, ctx.client_ip, ctx.trace, started);
  co_return reply;
}

Reply Pipeline::reject(Status status, std::string_view code, std::string_view message, const Request& partial,
                       std::string_view peer_ip) const {
  const auto started = Clock::now();
  auto request_id = request_id_from(partial["X-Request-Id"], partial["X-Amzn-Trace-Id"]);
  Reply reply{error_response(status, code, message, request_id), std::move(request_id), partial.method() == Verb::head};
  std::string_view path = partial.target();
  path = path.substr(0, std::min<std::size_t>(path.find('?'), 256));
  const auto trace = trace::from_headers(partial["X-Amzn-Trace-Id"], partial["traceparent"]);
  access_log(partial, path, reply, client_ip_of(partial, peer_ip, proxies_), trace, started);
  return reply;
}

}  // namespace b2w::http
