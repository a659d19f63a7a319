#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db/database.hpp"

namespace b2w::store {

// A Google account linked to one of ours (table google_identities, migration 012).
struct GoogleIdentity {
  std::string sub;              // Google's stable account id
  std::string user_id;          // ours
  std::string email;            // the verified address the link was made with
  std::int64_t created_at = 0;  // epoch microseconds
};

class GoogleIdentityRepository {
 public:
  explicit GoogleIdentityRepository(Database& db) : db_(db) {}

  Awaitable<std::optional<GoogleIdentity>> find(std::string sub);
  // Links `sub` to `user_id` unless it is linked already, and returns the user it is linked to afterwards:
  // another one when a concurrent sign-in linked it first (a Google account is never moved between users).
  Awaitable<std::string> link(std::string sub, std::string user_id, std::string email);
  Awaitable<std::vector<GoogleIdentity>> for_user(std::string user_id);

 private:
  Database& db_;
};

}  // namespace b2w::store
