#include "kv/lease.hpp"

#include <exception>

#include "util/ids.hpp"

namespace b2w::kv {

Lease::Lease(KeyValueStore& kv, std::string key, Ttl ttl)
    : kv_(kv), key_(std::move(key)), ttl_(ttl), holder_(random_hex(12)) {}

Awaitable<bool> Lease::try_hold() {
  if (held_) {
    // Renewed only while the key still names us: after an expiry someone else may hold it now.
    const auto renewed = co_await kv_.compare_and_set(key_, holder_, holder_, ttl_);
    if (renewed == CasResult::swapped) co_return true;
    if (renewed == CasResult::mismatch) co_return false;
  }
  const bool taken = co_await kv_.set_if_absent(key_, holder_, ttl_);
  co_return taken;
}

Awaitable<bool> Lease::hold() {
  bool holding = false;
  try {
    holding = co_await try_hold();
  } catch (const std::exception&) {
    holding = false;  // the store cannot answer: not knowing is not holding
  }
  held_ = holding;
  co_return holding;
}

Awaitable<void> Lease::release() {
  if (!held_) co_return;
  held_ = false;
  try {
    co_await kv_.delete_if_equals(key_, holder_);
  } catch (const std::exception&) {
    // It expires on its own.
  }
}

}  // namespace b2w::kv
