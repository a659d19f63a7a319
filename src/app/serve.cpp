#include "app/serve.hpp"

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <filesystem>
#include <optional>

#include "app/blocking.hpp"
#include "app/components.hpp"
#include "app/routes.hpp"
#include "http/server.hpp"
#include "identity/outbox_sender.hpp"
#include "kv/factory.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "observability/sentry.hpp"
#include "sportsbook/settlement_resumer.hpp"
#include "store/db/factory.hpp"
#include "store/db/migrations.hpp"

namespace b2w::app {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kProbeInterval{5};
constexpr std::chrono::seconds kProbeTimeout{2};

// A folder beside the executable (docs, console), where the build puts them.
std::string beside_executable(const char* name) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(name) : (exe.parent_path() / name).string();
}

// SIGTERM/SIGINT: health turns 503, requests are still served (Connection: close)
// for the drain period, then the listener closes, idle connections close and
// in-flight requests finish, all within the shutdown timeout. A second signal exits at once.
asio::awaitable<void> shutdown_on_signal(asio::io_context& control, asio::signal_set& signals, http::Server& server,
                                         stream::Hub& hub, api::HealthState& health, const config::Config& config,
                                         int& exit_status) {
  auto [ec, signo] = co_await signals.async_wait(use_tuple);
  if (ec) co_return;
  const auto deadline = Clock::now() + config.shutdown_timeout;
  health.draining.store(true);
  server.begin_drain();
  log::info("shutdown started").num("signal", signo).num("drain_ms", config.shutdown_drain.count());
  signals.async_wait([](boost::system::error_code wait_ec, int second) {
    if (wait_ec) return;
    log::warn("second signal: exiting at once").num("signal", second);
    log::flush();
    std::_Exit(128 + second);
  });

  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(config.shutdown_drain);
  co_await timer.async_wait(use_tuple);
  server.stop_accepting();
  server.close_idle();
  hub.close_all();  // 1001 going away: the clients reconnect through the balancer to another task
  while ((server.active_connections() > 0 || hub.connections() > 0) && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(use_tuple);
  }
  const int left = server.active_connections() + hub.connections();
  server.stop();
  if (left > 0) {
    log::error("shutdown timeout: closing connections still in flight").num("connections", left);
    exit_status = 1;
  } else {
    log::info("shutdown complete");
    exit_status = 0;
  }
  signals.cancel();
  control.stop();  // ends the background probes too
}

void write_metrics(const std::string& environment) {
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const auto line = metrics::take_emf(environment, now_ms);
  if (!line.empty()) log::write_line(line);
}

// Probes every dependency in the background; the health-check reports the last result and never waits.
asio::awaitable<void> probe_dependencies(api::HealthState& health, store::Database& db, int schema_version,
                                         kv::KeyValueStore& kv) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    {
      asio::steady_timer deadline(co_await asio::this_coro::executor, kProbeTimeout);
      auto outcome = co_await (kv.probe() || deadline.async_wait(use_tuple));
      const bool embedded = kv.kind() == kv::StoreKind::memory;
      api::HealthState::Check check{api::HealthState::Status::down, std::string(to_string(kv.kind())), 0, -1};
      if (outcome.index() == 0 && std::get<0>(outcome).ok) {
        check.status = embedded ? api::HealthState::Status::embedded : api::HealthState::Status::ok;
        check.latency_ms = static_cast<double>(std::get<0>(outcome).latency.count()) / 1000.0;
      }
      health.set_check("cache", check);
    }
    asio::steady_timer deadline(co_await asio::this_coro::executor, kProbeTimeout);
    auto outcome = co_await (db.probe() || deadline.async_wait(use_tuple));
    api::HealthState::Check check{api::HealthState::Status::down, std::string(to_string(db.dialect())), 0,
                                  schema_version};
    if (outcome.index() == 0 && std::get<0>(outcome).ok) {
      check.status =
          db.dialect() == store::Dialect::sqlite ? api::HealthState::Status::embedded : api::HealthState::Status::ok;
      check.latency_ms = static_cast<double>(std::get<0>(outcome).latency.count()) / 1000.0;
    }
    health.set_check("database", check);
    timer.expires_after(kProbeInterval);
    co_await timer.async_wait(use_tuple);
  }
}

// The metrics line every `interval`, and once more when the process stops (the last partial interval).
asio::awaitable<void> emit_metrics(std::string environment, std::chrono::milliseconds interval) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(interval);
    auto [ec] = co_await timer.async_wait(use_tuple);
    if (ec) co_return;
    write_metrics(environment);
  }
}

}  // namespace

namespace {

// A start-up failure for Sentry (sent before the process exits: fail_start() waits for the sender, bounded).
void report_start_failure(const std::exception& e, std::string_view what,
                          boost::source_location where = BOOST_CURRENT_LOCATION) {
  sentry::report({.type = sentry::type_name(e),
                  .message = std::string(what) + ": " + e.what(),
                  .component = "startup",
                  .level = "fatal"},
                 where);
}

struct OpenedDatabase {
  std::unique_ptr<store::Database> db;
  int schema_version = 0;
};

// The database with this build's schema; nothing (logged) when it cannot be reached, migrated or is too old.
std::optional<OpenedDatabase> open_database(const config::Config& config) {
  try {
    OpenedDatabase opened{store::make_database(config)};
    const auto report = run_blocking(store::ensure_schema(*opened.db, config.migrate_on_start));
    opened.schema_version = report.schema_version;
    log::info("database ready")
        .str("kind", to_string(opened.db->dialect()))
        .num("schema_version", report.schema_version)
        .num("migrations_applied", report.applied);
    if (opened.db->dialect() == store::Dialect::sqlite)
      log::warn("embedded SQLite store: for one instance only; set DATABASE_URL for PostgreSQL");
    return opened;
  } catch (const store::OutdatedSchema& e) {
    log::error("database schema is older than this build").str("error", e.what());
    report_start_failure(e, "database schema is older than this build");
    return std::nullopt;
  } catch (const std::exception& e) {
    log::error("database unavailable at start-up").str("error", e.what());
    report_start_failure(e, "database unavailable at start-up");
    return std::nullopt;
  }
}

// The key-value store; nothing (logged) when its configuration is refused.
std::unique_ptr<kv::KeyValueStore> open_kv(const config::Config& config) {
  try {
    auto kv = kv::make_store(config);
    if (kv->kind() == kv::StoreKind::memory)
      log::warn("in-process key-value store: serves one instance only (sessions, rate limits); set REDIS_URL to share");
    return kv;
  } catch (const std::exception& e) {
    log::error("cache configuration rejected").str("error", e.what());
    report_start_failure(e, "cache configuration rejected");
    return nullptr;
  }
}

http::ServerOptions server_options(const config::Config& config) {
  http::ServerOptions options;
  options.address = config.bind_address;
  options.port = config.port;
  options.io_threads = config.io_threads > 0 ? config.io_threads : default_io_threads();
  options.max_header_bytes = config.max_header_bytes;
  options.max_body_bytes = config.max_body_bytes;
  options.max_connections = config.max_connections;
  options.header_timeout = config.header_timeout;
  options.body_timeout = config.body_timeout;
  options.keepalive_timeout = config.keepalive_timeout;
  return options;
}

identity::SenderOptions mail_sender(const config::Config& config) {
  return identity::SenderOptions{
      .from = config.mail_from, .from_name = config.mail_from_name, .lease = config.mail_send_lease};
}

// The control thread's jobs besides shutdown: dependency probes, metrics, the settlement resumer, the payment
// reconciler, the casino's game list.
void start_background(asio::io_context& control, const config::Config& config, api::HealthState& health,
                      const OpenedDatabase& database, kv::KeyValueStore& kv, Components& components) {
  asio::co_spawn(control, probe_dependencies(health, *database.db, database.schema_version, kv), asio::detached);
  if (config.metrics_interval.count() > 0)
    asio::co_spawn(control, emit_metrics(config.app_env, config.metrics_interval), asio::detached);
  components.live_bets().schedule_on(control.get_executor());
  if (config.live_bet_worker_interval.count() > 0)
    asio::co_spawn(control, components.live_bets().run(config.live_bet_worker_interval), asio::detached);
  if (config.settlement_resume_interval.count() > 0)
    asio::co_spawn(control, sportsbook::resume_settlements(components.settlement(), config.settlement_resume_interval),
                   asio::detached);
  if (config.payment_reconcile_interval.count() > 0)
    asio::co_spawn(control, components.payment_reconciler().run(), asio::detached);
  if (!config.smtp_host.empty())
    asio::co_spawn(control, identity::send_outbox(components.mail_outbox(), components.smtp(), mail_sender(config)),
                   asio::detached);
  if (components.casino_lobby().configured())
    asio::co_spawn(control, casino::keep_games_fresh(components.casino_lobby(), config.casino_games_refresh),
                   asio::detached);
}

// The reconciler's lease given up at a graceful exit (bounded: the store may be away), on a context of its own:
// the control context, where the reconciler ran, has stopped.
void release_reconciler_lease(payments::Reconciler& reconciler) {
  asio::io_context releasing;
  asio::co_spawn(releasing, reconciler.release_lease(), asio::detached);
  releasing.run_for(std::chrono::seconds(2));
}

// How long an exiting process waits for its last error reports.
constexpr std::chrono::seconds kReportDrain{3};

int fail_start() {
  sentry::stop(kReportDrain);
  log::flush();
  return 1;
}

// Error reporting from start-up to exit, when SENTRY_DSN is set.
void start_error_reporting(const config::Config& config) {
  if (config.sentry_dsn.empty()) return;
  const auto dsn = sentry::parse_dsn(config.sentry_dsn);  // checked with the rest of the configuration
  if (!dsn) return;
  sentry::start(sentry::Options{.dsn = *dsn, .release = config.app_version, .environment = config.app_env});
  log::info("error reporting to Sentry").str("host", dsn->host).str("project", dsn->project_id);
}

}  // namespace

int serve(const config::Config& config) {
  std::signal(SIGPIPE, SIG_IGN);

  start_error_reporting(config);
  api::HealthState health;
  health.version = config.app_version;
  const std::string docs_dir = config.docs_dir.empty() ? beside_executable("docs") : config.docs_dir;
  const auto docs = api::DocsAssets::load(docs_dir, config.api_docs, config.root_entry);
  if (!docs.problem.empty()) log::warn("API docs unavailable").str("problem", docs.problem);
  const auto console =
      api::ConsoleAssets::load(beside_executable("console"), config.root_entry + "/console", config.root_entry);
  if (!console.problem.empty()) log::warn("back-office console unavailable").str("problem", console.problem);

  auto database = open_database(config);
  if (!database) return fail_start();
  auto kv = open_kv(config);
  if (!kv) return fail_start();

  Components components(config, *database->db, *kv, health, docs, ComponentOptions{.console = &console});
  http::Router router;
  register_routes(router, components.services());
  const http::Pipeline pipeline = make_pipeline(router, config, components);
  const auto options = server_options(config);
  http::Server server(options, pipeline);
  // Cache calls made on an I/O thread run on that thread (the Redis store's connections per thread).
  std::vector<asio::io_context*> io_contexts;
  for (std::size_t i = 0; i < server.io_threads(); ++i) io_contexts.push_back(&server.io_context(i));
  kv->attach(io_contexts);
  components.stream_hub().attach(io_contexts);
  // Whatever way this function ends, the I/O threads stop and the store goes before their io_contexts do.
  struct StopBeforeStore {
    http::Server& server;
    std::unique_ptr<kv::KeyValueStore>& kv;
    ~StopBeforeStore() {
      server.stop();
      kv.reset();
    }
  } stop_before_store{server, kv};

  // Signals are caught before listening so none is lost between the two.
  asio::io_context control;
  asio::signal_set signals(control, SIGINT, SIGTERM);
  try {
    server.listen();
  } catch (const boost::system::system_error& e) {
    log::error("cannot listen")
        .str("address", config.bind_address)
        .num("port", config.port)
        .str("error", e.code().message());
    report_start_failure(e, "cannot listen");
    return fail_start();
  }
  server.start();
  log::info("listening")
      .str("address", config.bind_address)
      .num("port", server.port())
      .num("io_threads", options.io_threads)
      .num("routes", static_cast<std::int64_t>(router.routes().size()));

  int exit_status = 0;
  asio::co_spawn(control,
                 shutdown_on_signal(control, signals, server, components.stream_hub(), health, config, exit_status),
                 asio::detached);
  start_background(control, config, health, *database, *kv, components);
  control.run();
  if (config.payment_reconcile_interval.count() > 0) release_reconciler_lease(components.payment_reconciler());
  server.stop();  // idempotent: the I/O threads are joined, their io_contexts still exist
  kv.reset();     // ends in-flight cache calls while those io_contexts still exist
  if (config.metrics_interval.count() > 0) write_metrics(config.app_env);
  sentry::stop(kReportDrain);
  log::flush();
  return exit_status;
}

}  // namespace b2w::app
