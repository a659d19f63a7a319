#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "store/db/database.hpp"

namespace b2w::store {

struct UserRecord {
  std::string id;
  std::string email;
  std::string password_hash;
  std::optional<std::string> full_name;
  std::optional<std::string> phone;
  std::string role;  // "user" | "admin"
  std::int64_t created_at = 0;  // epoch microseconds
  std::int64_t updated_at = 0;
};

class EmailTaken : public std::runtime_error {
 public:
  EmailTaken() : std::runtime_error("email already registered") {}
};

class UserRepository {
 public:
  explicit UserRepository(Database& db) : db_(db) {}

  // Inserts a new user (id and times are set here); throws EmailTaken.
  Awaitable<UserRecord> create(std::string email, std::string password_hash, std::optional<std::string> full_name,
                               std::optional<std::string> phone, std::string role = "user");
  Awaitable<std::optional<UserRecord>> find_by_email(std::string email);
  Awaitable<std::optional<UserRecord>> find_by_id(std::string id);
  // True when the user exists (and now has `role`).
  Awaitable<bool> set_role(std::string id, std::string role);

 private:
  Database& db_;
};

}  // namespace b2w::store
