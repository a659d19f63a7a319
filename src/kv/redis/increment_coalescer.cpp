#include "kv/redis/increment_coalescer.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kv/redis/commands.hpp"
#include "kv/redis/lane.hpp"
#include "util/unavailable.hpp"

namespace b2w::kv::redis {

namespace asio = boost::asio;

asio::awaitable<std::vector<Counter>> IncrementCoalescer::increment_each(std::vector<std::string> keys, std::int64_t by,
                                                                         Ttl ttl) {
  check_ttl(ttl);
  if (keys.empty()) co_return std::vector<Counter>{};
  ++calls;
  // A key listed twice is incremented twice per call: the arithmetic below would not hold, so
  // such a call goes out on its own.
  for (std::size_t i = 0; i < keys.size(); ++i)
    for (std::size_t j = i + 1; j < keys.size(); ++j)
      if (keys[i] == keys[j]) {
        ++commands;
        co_return co_await commands_.increment_each_now(lane_, keys, by, ttl);
      }
  std::string signature = std::to_string(ttl.count());
  for (const auto& k : keys) {
    signature += ' ';
    signature += std::to_string(k.size());  // length-prefixed: no two key lists share a signature
    signature += ':';
    signature += k;
  }
  Slot& slot = slots_[signature];
  if (!slot.open) {
    slot.open = std::make_unique<Batch>();
    slot.open->keys = std::move(keys);
    slot.open->ttl = ttl;
  }
  Batch& batch = *slot.open;
  batch.total += by;
  if (!slot.in_flight && !slot.launch_posted) {
    // After the calls already queued on this thread have had their turn to join.
    slot.launch_posted = true;
    asio::post(lane_.ctx, [this, signature] { launch(signature); });
  }
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(std::exception_ptr, std::vector<Counter>)>(
      [&batch, &by](auto handler) { batch.waiters.emplace_back(by, CountersHandler(std::move(handler))); },
      asio::use_awaitable);
}

void IncrementCoalescer::launch(const std::string& signature) {
  auto it = slots_.find(signature);
  if (it == slots_.end()) return;
  Slot& slot = it->second;
  slot.launch_posted = false;
  if (slot.in_flight) return;
  if (!slot.open) {
    slots_.erase(it);
    return;
  }
  slot.in_flight = true;
  asio::co_spawn(lane_.ctx, run(signature, std::move(slot.open)), asio::detached);
}

asio::awaitable<void> IncrementCoalescer::run(std::string signature, std::unique_ptr<Batch> batch) {
  ++commands;
  std::exception_ptr failure;
  std::vector<Counter> reached;
  try {
    reached = co_await commands_.increment_each_now(lane_, batch->keys, batch->total, batch->ttl);
  } catch (...) {
    failure = std::current_exception();
  }
  std::int64_t added = 0;
  for (auto& [by, handler] : batch->waiters) {
    added += by;
    std::vector<Counter> mine;
    if (!failure) {
      mine.reserve(reached.size());
      for (const auto& c : reached) mine.push_back(Counter{c.value - batch->total + added, c.ttl});
    }
    asio::post(lane_.ctx, asio::append(std::move(handler), failure, std::move(mine)));
  }
  auto it = slots_.find(signature);
  if (it == slots_.end()) co_return;  // closed
  it->second.in_flight = false;
  launch(signature);  // the batch that gathered meanwhile, if any
}

void IncrementCoalescer::fail_waiting() {
  for (auto& [signature, slot] : slots_) {
    if (!slot.open) continue;
    auto failure = std::make_exception_ptr(ServiceUnavailable("cache", "store closed"));
    for (auto& [by, handler] : slot.open->waiters)
      asio::post(lane_.ctx, asio::append(std::move(handler), failure, std::vector<Counter>{}));
    slot.open.reset();
  }
}

}  // namespace b2w::kv::redis
