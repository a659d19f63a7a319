#pragma once
#include <string>

#include "kv/kv.hpp"

namespace b2w::kv {

// One holder at a time across every process sharing the store, for background work that one task should do
// (the payment reconciler). The key holds the holder's random id with an expiry: the holder renews it while
// it works; if it dies, the key expires and another process takes it on its next hold(). The store being
// down counts as not holding: the work waits rather than risking two holders.
class Lease {
 public:
  Lease(KeyValueStore& kv, std::string key, Ttl ttl);

  // Takes the lease if nobody holds it, or renews it if this process does; false while another holds it.
  Awaitable<bool> hold();
  // Gives it up (only if still ours), so another process need not wait for the expiry.
  Awaitable<void> release();

  bool held() const { return held_; }
  const std::string& holder() const { return holder_; }

 private:
  Awaitable<bool> try_hold();

  KeyValueStore& kv_;
  std::string key_;
  Ttl ttl_;
  std::string holder_;
  bool held_ = false;
};

}  // namespace b2w::kv
