#include "store/db/postgres_database.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <unordered_map>

#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "store/db/libpq.hpp"
#include "store/db/postgres_results.hpp"
#include "util/unavailable.hpp"

namespace b2w::store {

namespace asio = boost::asio;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

using postgres::pg_message;
using postgres::PgResult;

class PostgresDatabase::Connection {
 public:
  Connection(const asio::any_io_executor& ex, PGconn* pg, std::unordered_set<Connection*>& registry)
      : pg_(pg), socket_(ex), registry_(registry) {
    registry_.insert(this);
  }
  ~Connection() {
    registry_.erase(this);
    if (socket_.is_open()) socket_.release();  // libpq owns the descriptor
    pq_.finish(pg_);
  }

  // Called by the pool's sweeper: a wait past its deadline is cancelled and the connection retired.
  void expire_if_due(Clock::time_point now) {
    if (deadline_ > now) return;
    deadline_ = Clock::time_point::max();
    timed_out_ = true;
    boost::system::error_code ec;
    socket_.cancel(ec);
  }

  bool healthy() const { return !broken_ && pq_.status(pg_) == CONNECTION_OK; }

  // Completes libpq's non-blocking connect (TLS included).
  Awaitable<void> finish_connect(Clock::time_point deadline) {
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
    for (;;) {
      if (status == PGRES_POLLING_OK) break;
      if (status == PGRES_POLLING_FAILED)
        throw ServiceUnavailable("database", "connect failed: " + pg_message(pq_.errorMessage(pg_)));
      co_await wait(status == PGRES_POLLING_READING ? asio::posix::descriptor_base::wait_read
                                                    : asio::posix::descriptor_base::wait_write,
                    deadline, "connect timed out");
      status = pq_.connectPoll(pg_);
    }
    if (pq_.setnonblocking(pg_, 1) != 0) throw ServiceUnavailable("database", "cannot set non-blocking mode");
  }

  // Sends one statement (or a parameterless script) and collects every result.
  // Parameterized statements are prepared once per connection and then executed by name.
  Awaitable<Result> run(std::string_view sql, const std::vector<Value>* params, Clock::time_point deadline) {
    const std::string text(sql);
    if (params) {
      const auto* statement = co_await prepared(text, params->size(), deadline);
      send(text, *params, statement);
    } else if (!pq_.sendQuery(pg_, text.c_str())) {
      fail_connection("send failed");
    }
    co_return co_await flush_and_collect(deadline);
  }

  // Sends every statement in one round trip (libpq pipeline mode) and returns the results of the
  // last `wanted` ones, in order. After a failure the server skips the rest up to the sync point; the
  // first error is raised once everything was read, so the connection stays usable (the caller rolls back).
  Awaitable<std::vector<Result>> run_pipeline(const std::vector<Statement>& statements, std::size_t wanted,
                                              Clock::time_point deadline) {
    std::vector<const std::string*> names;
    for (const auto& st : statements) names.push_back(co_await prepared(st.sql, st.params.size(), deadline));
    if (!pq_.enterPipelineMode(pg_)) fail_connection("cannot enter pipeline mode");
    for (std::size_t i = 0; i < statements.size(); ++i) send(statements[i].sql, statements[i].params, names[i]);
    if (!pq_.pipelineSync(pg_)) fail_connection("send failed");
    co_await flush(deadline);

    // Each statement's results end with a null; the sync point's result ends the pipeline.
    std::vector<std::vector<PgResult>> per_statement;
    std::vector<PgResult> first_error;
    bool ended = true;  // the previous statement's results are complete
    for (;;) {
      while (pq_.isBusy(pg_)) {
        co_await wait(asio::posix::descriptor_base::wait_read, deadline, "query timed out");
        if (!pq_.consumeInput(pg_)) fail_connection("connection lost");
      }
      PGresult* r = pq_.getResult(pg_);
      if (!r) {
        ended = true;
        continue;
      }
      const auto status = pq_.resultStatus(r);
      if (status == PGRES_PIPELINE_SYNC) {
        pq_.clear(r);
        break;
      }
      if (ended) per_statement.emplace_back();
      ended = false;
      const bool failed = status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE;
      if (failed && first_error.empty())
        first_error.emplace_back(r);
      else
        per_statement.back().emplace_back(r);
    }
    if (!pq_.exitPipelineMode(pg_)) fail_connection("cannot leave pipeline mode");
    if (!first_error.empty()) postgres::raise_result(first_error.front().get(), pg_, broken_);
    if (per_statement.size() != statements.size() || wanted > statements.size())
      fail_connection("pipeline results do not match its statements");
    std::vector<Result> results;
    for (auto it = per_statement.end() - static_cast<std::ptrdiff_t>(wanted); it != per_statement.end(); ++it)
      results.push_back(postgres::convert_results(*it, pg_, broken_));
    co_return results;
  }

 private:
  static constexpr std::size_t kMaxPrepared = 512;

  // The statement's name once prepared on this connection (preparing it now if there is room), or
  // nullptr: then it is sent unnamed. Bad SQL throws QueryError and nothing is cached.
  Awaitable<const std::string*> prepared(const std::string& text, std::size_t param_count, Clock::time_point deadline) {
    auto it = prepared_.find(text);
    if (it == prepared_.end() && prepared_.size() < kMaxPrepared) {
      const std::string name = "b2w_" + std::to_string(prepared_.size() + 1);
      if (!pq_.sendPrepare(pg_, name.c_str(), text.c_str(), static_cast<int>(param_count), nullptr))
        fail_connection("send failed");
      co_await flush_and_collect(deadline);
      it = prepared_.emplace(text, name).first;
    }
    co_return it == prepared_.end() ? nullptr : &it->second;
  }

  // Queues a parameterized statement (text parameters; NULL for monostate).
  void send(const std::string& text, const std::vector<Value>& params, const std::string* name) {
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (auto* n = std::get_if<std::int64_t>(&params[i]))
        storage[i] = std::to_string(*n);
      else if (auto* v = std::get_if<std::string>(&params[i]))
        storage[i] = *v;
      else
        continue;
      values[i] = storage[i].c_str();
    }
    const int count = static_cast<int>(values.size());
    const int sent = name ? pq_.sendQueryPrepared(pg_, name->c_str(), count, values.data(), nullptr, nullptr, 0)
                          : pq_.sendQueryParams(pg_, text.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
    if (!sent) fail_connection("send failed");
  }

  Awaitable<void> flush(Clock::time_point deadline) {
    for (;;) {
      const int flushed = pq_.flush(pg_);
      if (flushed == 0) co_return;
      if (flushed < 0) fail_connection("flush failed");
      co_await wait(asio::posix::descriptor_base::wait_write, deadline, "query timed out");
    }
  }

  Awaitable<Result> flush_and_collect(Clock::time_point deadline) {
    co_await flush(deadline);

    std::vector<PgResult> results;
    for (;;) {
      while (pq_.isBusy(pg_)) {
        co_await wait(asio::posix::descriptor_base::wait_read, deadline, "query timed out");
        if (!pq_.consumeInput(pg_)) fail_connection("connection lost");
      }
      PGresult* r = pq_.getResult(pg_);
      if (!r) break;
      results.emplace_back(r);
    }
    co_return postgres::convert_results(results, pg_, broken_);
  }

  // Waits for the socket; the pool's sweeper cancels the wait at the deadline (no timer per wait).
  Awaitable<void> wait(asio::posix::descriptor_base::wait_type type, Clock::time_point deadline, const char* what) {
    const int fd = pq_.socket(pg_);
    if (fd < 0) fail_connection("no socket");
    if (!socket_.is_open() || socket_.native_handle() != fd) {
      if (socket_.is_open()) socket_.release();
      socket_.assign(fd);
    }
    deadline_ = deadline;
    auto [ec] = co_await socket_.async_wait(type, use_tuple);
    deadline_ = Clock::time_point::max();
    if (timed_out_) {
      broken_ = true;  // a statement may still be running: never reuse this connection
      throw ServiceUnavailable("database", what);
    }
    if (ec) fail_connection(ec.message());
  }

  [[noreturn]] void fail_connection(const std::string& what) {
    broken_ = true;
    throw ServiceUnavailable("database", what + ": " + pg_message(pq_.errorMessage(pg_)));
  }

  const pq::Api& pq_ = pq::api();
  PGconn* pg_;
  asio::posix::stream_descriptor socket_;
  std::unordered_set<Connection*>& registry_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  bool broken_ = false;
};

class PostgresDatabase::PgTx final : public Tx {
 public:
  PgTx(Connection& conn, std::chrono::milliseconds timeout) : conn_(conn), timeout_(timeout) {}
  Awaitable<Result> execute(std::string_view sql, std::vector<Value> params) override {
    if (deferred_.empty()) co_return co_await conn_.run(sql, &params, Clock::now() + timeout_);
    deferred_.push_back(statement(sql, std::move(params)));
    co_return co_await send_deferred();
  }
  Awaitable<std::vector<Result>> execute_together(std::vector<Statement> statements) override {
    const auto wanted = statements.size();
    for (auto& st : statements) deferred_.push_back(std::move(st));
    std::vector<Statement> batch;
    batch.swap(deferred_);
    co_return co_await conn_.run_pipeline(batch, wanted, Clock::now() + timeout_);
  }
  Awaitable<void> defer(std::string_view sql, std::vector<Value> params) override {
    deferred_.push_back(statement(sql, std::move(params)));
    co_return;
  }
  Awaitable<void> defer_expecting(std::int64_t rows, std::string_view sql, std::vector<Value> params) override {
    // The server itself checks the count (b2w_expect_rows, migration 007), so a COMMIT travelling in the
    // same pipeline is skipped when it fails: the write is conditional without a round trip of its own.
    params.push_back(Value{rows});
    const auto checked = "WITH changed AS (" + std::string(sql) + " RETURNING 1) SELECT b2w_expect_rows(COUNT(*), $" +
                         std::to_string(params.size()) + ") FROM changed";
    deferred_.push_back(statement(checked, std::move(params)));
    co_return;
  }
  Awaitable<void> exec_script(std::string_view sql) override {
    if (deferred_.empty()) {
      co_await conn_.run(sql, nullptr, Clock::now() + timeout_);
    } else if (sql == "COMMIT") {
      // COMMIT travels with the deferred statements.
      deferred_.push_back(statement(sql, std::vector<Value>()));
      co_await send_deferred();
    } else {
      // A script of several statements cannot be part of a pipeline: what waits goes first.
      co_await send_deferred();
      co_await conn_.run(sql, nullptr, Clock::now() + timeout_);
    }
  }
  Dialect dialect() const override { return Dialect::postgres; }

  // BEGIN waits for the transaction's first statement and travels with it: a round trip fewer per
  // transaction. (A body that sends nothing and throws leaves no transaction to roll back.)
  void begin() { deferred_.push_back(statement("BEGIN", std::vector<Value>())); }
  bool begun() const { return deferred_.empty() || deferred_.front().sql != "BEGIN"; }

 private:
  // (A plain function: GCC 12 miscompiles nested braced initializers inside coroutines.)
  static Statement statement(std::string_view sql, std::vector<Value> params) {
    return Statement{std::string(sql), std::move(params)};
  }

  Awaitable<Result> send_deferred() {
    std::vector<Statement> batch;
    batch.swap(deferred_);
    auto results = co_await conn_.run_pipeline(batch, 1, Clock::now() + timeout_);
    co_return std::move(results.back());
  }

  Connection& conn_;
  std::chrono::milliseconds timeout_;
  std::vector<Statement> deferred_;
};

struct PostgresDatabase::Waiter {
  asio::steady_timer timer;
  std::unique_ptr<Connection> conn;
  bool may_connect = false;  // a slot was freed by a broken connection
};

namespace {

// Resolves the URL's host asynchronously so libpq never calls getaddrinfo on our thread.
Awaitable<std::string> resolve_host(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) co_return std::string();
  const std::string host(parsed->host());
  if (host.empty() || host.front() == '/' || host.front() == '%') co_return std::string();
  if (parsed->host_type() == boost::urls::host_type::ipv4 || parsed->host_type() == boost::urls::host_type::ipv6)
    co_return std::string(parsed->host_address());
  asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [ec, endpoints] = co_await resolver.async_resolve(host, "", use_tuple);
  if (ec || endpoints.empty()) throw ServiceUnavailable("database", "cannot resolve the database host");
  co_return endpoints.begin()->endpoint().address().to_string();
}

}  // namespace

PostgresDatabase::PostgresDatabase(Options options) : options_(std::move(options)) {
  pq::api();  // loads libpq now: a missing libpq5 stops the start-up with a clear message
  guard_ = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(ctx_.get_executor());
  thread_ = std::thread([this] { ctx_.run(); });
  asio::co_spawn(ctx_, warm_up(), asio::detached);
  asio::co_spawn(ctx_, sweep_deadlines(), asio::detached);
}

Awaitable<void> PostgresDatabase::sweep_deadlines() {
  asio::steady_timer timer(ctx_);
  for (;;) {
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(use_tuple);
    const auto now = Clock::now();
    for (Connection* c : connections_) c->expire_if_due(now);
  }
}

PostgresDatabase::~PostgresDatabase() {
  guard_.reset();
  ctx_.stop();
  if (thread_.joinable()) thread_.join();
  idle_.clear();  // the thread is gone: nothing else touches the connections
}

Awaitable<void> PostgresDatabase::warm_up() {
  // Held until all are open: one acquired and released at a time would be the same connection each time.
  std::vector<std::unique_ptr<Connection>> opened;
  for (int i = 0; i < options_.pool_min; ++i) {
    try {
      auto conn = co_await acquire();
      opened.push_back(std::move(conn));
    } catch (const std::exception& e) {
      log::warn("database warm-up failed; connections will be opened on demand").str("error", e.what());
      break;
    }
  }
  for (auto& conn : opened) release(std::move(conn));
}

Awaitable<std::unique_ptr<PostgresDatabase::Connection>> PostgresDatabase::acquire() {
  const auto deadline = Clock::now() + options_.acquire_timeout;
  for (;;) {
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->healthy()) co_return conn;
      --open_;
    }
    if (open_ < options_.pool_max) {
      ++open_;
      try {
        const std::string hostaddr = co_await resolve_host(options_.url);
        const char* keys[] = {"dbname", hostaddr.empty() ? nullptr : "hostaddr", nullptr};
        const char* values[] = {options_.url.c_str(), hostaddr.empty() ? nullptr : hostaddr.c_str(), nullptr};
        PGconn* pg = pq::api().connectStartParams(keys, values, 1);
        if (!pg) throw ServiceUnavailable("database", "out of memory");
        auto conn = std::make_unique<Connection>(co_await asio::this_coro::executor, pg, connections_);
        if (pq::api().status(pg) == CONNECTION_BAD)
          throw ServiceUnavailable("database", "bad connection settings: " + pg_message(pq::api().errorMessage(pg)));
        co_await conn->finish_connect(deadline);
        co_return conn;
      } catch (...) {
        --open_;
        throw;
      }
    }
    Waiter waiter{asio::steady_timer(ctx_, deadline), nullptr};
    waiters_.push_back(&waiter);
    const auto waited_from = Clock::now();
    co_await waiter.timer.async_wait(use_tuple);
    metrics::add(metrics::Counter::database_pool_waits);
    metrics::add(metrics::Counter::database_pool_wait_us,
                 std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - waited_from).count());
    if (waiter.conn) co_return std::move(waiter.conn);
    waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), &waiter), waiters_.end());
    if (!waiter.may_connect || Clock::now() >= deadline) {
      metrics::add(metrics::Counter::database_pool_exhausted);
      throw ServiceUnavailable("database", "no connection free within the acquire timeout");
    }
  }
}

void PostgresDatabase::release(std::unique_ptr<Connection> conn) {
  const bool healthy = conn && conn->healthy();
  if (!healthy) {
    --open_;
    conn.reset();
  }
  if (waiters_.empty()) {
    if (healthy) idle_.push_back(std::move(conn));
    return;
  }
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  if (healthy)
    next->conn = std::move(conn);
  else
    next->may_connect = true;
  next->timer.cancel();
}

Awaitable<void> PostgresDatabase::transaction_on_thread(std::function<Awaitable<void>(Tx&)>& body) {
  for (int attempt = 1;; ++attempt) {
    auto conn = co_await acquire();
    std::exception_ptr failure;
    bool retry = false;
    PgTx tx(*conn, options_.query_timeout);
    try {
      tx.begin();
      co_await body(tx);
      co_await tx.exec_script("COMMIT");
    } catch (const TransientConflict&) {
      retry = attempt < kMaxAttempts;
      failure = std::current_exception();
    } catch (...) {
      failure = std::current_exception();
    }
    if (!failure) {
      release(std::move(conn));
      co_return;
    }
    if (conn->healthy() && tx.begun()) {
      try {
        co_await conn->run("ROLLBACK", nullptr, Clock::now() + options_.query_timeout);
      } catch (...) {
        // The connection is marked broken and will be discarded.
      }
    }
    release(std::move(conn));
    if (!retry) std::rethrow_exception(failure);
  }
}

Awaitable<void> PostgresDatabase::run_transaction(std::function<Awaitable<void>(Tx&)> body) {
  co_await asio::co_spawn(ctx_, transaction_on_thread(body), asio::use_awaitable);
}

Awaitable<Result> PostgresDatabase::execute(std::string sql, std::vector<Value> params) {
  co_return co_await asio::co_spawn(
      ctx_,
      [&]() -> Awaitable<Result> {
        auto conn = co_await acquire();
        std::exception_ptr failure;
        Result result;
        try {
          result = co_await conn->run(sql, &params, Clock::now() + options_.query_timeout);
        } catch (...) {
          failure = std::current_exception();
        }
        release(std::move(conn));
        if (failure) std::rethrow_exception(failure);
        co_return result;
      },
      asio::use_awaitable);
}

Awaitable<Probe> PostgresDatabase::probe() {
  const auto started = Clock::now();
  try {
    co_await query("SELECT 1");
  } catch (...) {
    co_return Probe{false, std::chrono::microseconds(0)};
  }
  co_return Probe{true, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started)};
}

}  // namespace b2w::store
