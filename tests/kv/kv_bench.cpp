// GET/SET through the project's Redis client with N concurrent operations (bench/redis.sh).
// Usage: kv_bench URL [requests] [concurrency] [io_threads]
// Prints, like `redis-benchmark -q`:  SET: <n> requests per second / GET: ...
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "kv/redis_store.hpp"

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using b2w::kv::RedisStore;
using b2w::kv::Ttl;

namespace {

struct Shared {
  std::atomic<long> next{0};
  long total = 0;
  std::atomic<long> errors{0};
  std::atomic<int> running{0};
};

asio::awaitable<void> client(RedisStore* store, bool set, Shared* shared) {
  const std::string key = "key:__rand_int__";
  const std::string value = "xxx";  // redis-benchmark's default 3-byte payload
  while (shared->next.fetch_add(1, std::memory_order_relaxed) < shared->total) {
    try {
      if (set) {
        co_await store->set(key, value, Ttl(0));
      } else {
        co_await store->get(key);
      }
    } catch (const std::exception&) {
      ++shared->errors;
    }
  }
  --shared->running;
}

double run_phase(RedisStore& store, bool set, long requests, int concurrency, int threads) {
  Shared shared;
  shared.total = requests;
  shared.running = concurrency;
  std::vector<std::unique_ptr<asio::io_context>> ctxs;
  for (int i = 0; i < threads; ++i) ctxs.push_back(std::make_unique<asio::io_context>(1));
  for (int i = 0; i < concurrency; ++i)
    asio::co_spawn(*ctxs[i % threads], client(&store, set, &shared), asio::detached);
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (auto& c : ctxs) pool.emplace_back([ctx = c.get()] { ctx->run(); });
  for (auto& t : pool) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (shared.errors > 0) std::fprintf(stderr, "kv_bench: %ld errors\n", shared.errors.load());
  return static_cast<double>(requests) / seconds;
}

}  // namespace

namespace {

int run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: kv_bench URL [requests] [concurrency] [io_threads]\n");
    return 2;
  }
  b2w::kv::RedisOptions options;
  options.url = argv[1];
  const long requests = argc > 2 ? std::atol(argv[2]) : 100000;
  const int concurrency = argc > 3 ? std::atoi(argv[3]) : 50;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
  RedisStore store(options);
  run_phase(store, true, requests / 10, concurrency, threads);  // warm-up
  const double set_rps = run_phase(store, true, requests, concurrency, threads);
  const double get_rps = run_phase(store, false, requests, concurrency, threads);
  std::printf("SET: %.2f requests per second\nGET: %.2f requests per second\n", set_rps, get_rps);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kv_bench: %s\n", e.what());
    return 1;
  }
}
