#pragma once
// Helpers for the key-value tests: I/O threads like the server's (one single-threaded
// io_context each) and a way to run a coroutine on one of them from the test thread.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "kv/kv.hpp"

namespace b2w::test {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class IoThreads {
 public:
  explicit IoThreads(int n = 2) {
    for (int i = 0; i < n; ++i) {
      auto w = std::make_unique<Worker>();
      w->guard.emplace(w->ctx.get_executor());
      w->thread = std::thread([ctx = &w->ctx] { ctx->run(); });
      workers_.push_back(std::move(w));
    }
  }
  ~IoThreads() {
    for (auto& w : workers_) w->guard.reset();
    for (auto& w : workers_) w->thread.join();
  }
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  asio::io_context& ctx(std::size_t i) { return workers_[i % workers_.size()]->ctx; }
  std::size_t size() const { return workers_.size(); }

  // Runs `aw` on I/O thread i and waits for its result (rethrowing its exception).
  template <typename T>
  T run(asio::awaitable<T> aw, std::size_t i = 0) {
    return asio::co_spawn(ctx(i), std::move(aw), asio::use_future).get();
  }

 private:
  struct Worker {
    asio::io_context ctx{1};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
    std::thread thread;
  };
  std::vector<std::unique_ptr<Worker>> workers_;
};

// Polls `pred` until true or the timeout.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 5s, std::chrono::milliseconds step = 10ms) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(step);
  }
  return pred();
}

inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace b2w::test
