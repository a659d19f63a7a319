// Primary-key SELECTs through the project's PostgreSQL pool: N concurrent callers for D seconds.
// Usage: db_bench URL CLIENTS SECONDS   (expects pgbench's tables: pgbench -i)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "store/db/postgres_database.hpp"

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

int run(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: db_bench URL CLIENTS SECONDS\n");
    return 2;
  }
  const int clients = std::atoi(argv[2]);
  const auto duration = std::chrono::seconds(std::atoi(argv[3]));
  b2w::store::PostgresDatabase::Options options;
  options.url = argv[1];
  options.pool_max = clients;
  options.pool_min = clients;
  b2w::store::PostgresDatabase db(options);

  asio::io_context ctx(1);
  long long done = 0, failed = 0;
  const auto end = Clock::now() + duration;
  for (int c = 0; c < clients; ++c) {
    asio::co_spawn(
        ctx,
        [&, c]() -> asio::awaitable<void> {
          std::mt19937 rng(static_cast<unsigned>(c));
          std::uniform_int_distribution<std::int64_t> aid(1, 100000);
          while (Clock::now() < end) {
            try {
              auto r = co_await db.query("SELECT abalance FROM pgbench_accounts WHERE aid = $1", aid(rng));
              if (r.rows.size() == 1)
                ++done;
              else
                ++failed;
            } catch (const std::exception&) {
              ++failed;
            }
          }
        },
        asio::detached);
  }
  const auto started = Clock::now();
  ctx.run();
  const double secs = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf("%.0f %lld\n", static_cast<double>(done) / secs, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "db_bench: %s\n", e.what());
    return 1;
  }
}
