#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "store/db/database.hpp"

namespace b2w::store {

enum class EmailTokenPurpose { verify_email, reset_password };

// Single-use tokens sent in links: only their hash is stored.
class EmailTokens {
 public:
  static Awaitable<void> insert(Tx& tx, std::string token_hash, std::string user_id, EmailTokenPurpose purpose,
                                std::int64_t expires_at);
  // The user of a usable (unused, unexpired) token for `purpose`, without using it.
  static Awaitable<std::optional<std::string>> peek(Database& db, std::string token_hash, EmailTokenPurpose purpose);
  // Uses the token once (it must be unused, unexpired and for `purpose`): its user, or nullopt.
  static Awaitable<std::optional<std::string>> consume(Tx& tx, std::string token_hash, EmailTokenPurpose purpose);
};

}  // namespace b2w::store
