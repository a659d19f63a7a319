#include "app/admin_command.hpp"

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "app/blocking.hpp"
#include "domain/accounts.hpp"
#include "domain/passwords.hpp"
#include "observability/log.hpp"
#include "security/password.hpp"
#include "store/audit.hpp"
#include "store/db/factory.hpp"
#include "store/db/migrations.hpp"
#include "store/users.hpp"

namespace b2w::app {
namespace {

store::Awaitable<void> set_locked_audited(store::Database& db, std::string user_id, bool lock) {
  co_await store::transaction(db, [&](store::Tx& tx) -> store::Awaitable<void> {
    const auto was_locked = co_await store::UserRepository::set_locked(tx, user_id, lock);
    if (!was_locked) throw std::runtime_error("the user disappeared");
    store::AuditEntry entry;
    entry.actor = domain::Actor{"cli", "cli", ""};
    entry.action = lock ? "user.lock" : "user.unlock";
    entry.entity_type = "user";
    entry.entity_id = user_id;
    entry.before = *was_locked ? R"({"locked":true})" : R"({"locked":false})";
    entry.after = lock ? R"({"locked":true})" : R"({"locked":false})";
    co_await store::AuditRepository::append(tx, std::move(entry));
  });
}

int usage() {
  std::fputs(
      "usage: bet2wealth admin create --email EMAIL [--promote]   (password on stdin)\n"
      "       bet2wealth admin demote --email EMAIL\n"
      "       bet2wealth admin lock|unlock --email EMAIL\n",
      stderr);
  return 2;
}

}  // namespace

int admin_command(const config::Config& config, const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "create" && args[0] != "demote" && args[0] != "lock" && args[0] != "unlock"))
    return usage();
  const bool demote = args[0] == "demote";
  const bool lock = args[0] == "lock", unlock = args[0] == "unlock";
  std::string email_arg;
  bool promote = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--email" && i + 1 < args.size())
      email_arg = args[++i];
    else if (args[i] == "--promote" && args[0] == "create")
      promote = true;
    else
      return usage();
  }
  const auto email = domain::normalize_email(email_arg);
  if (!email) {
    std::fprintf(stderr, "bet2wealth: --email must be a valid email address\n");
    return 2;
  }
  try {
    auto db = store::make_database(config);
    run_blocking(store::ensure_schema(*db, config.migrate_on_start));
    store::UserRepository users(*db);
    auto existing = run_blocking(users.find_by_email(*email));
    if (lock || unlock) {
      if (!existing) {
        std::fprintf(stderr, "bet2wealth: no user with that email\n");
        return 1;
      }
      // A lock also ends every session (as a role change does); unlocking lets the player sign in again.
      // Recorded in the audit trail, as made by the command line, in the same transaction.
      run_blocking(set_locked_audited(*db, existing->id, lock));
      log::info(lock ? "user locked" : "user unlocked").str("user_id", existing->id);
      log::flush();
      return 0;
    }
    if (promote || demote) {
      if (!existing) {
        std::fprintf(stderr, "bet2wealth: no user with that email\n");
        return 1;
      }
      // A role change also revokes the user's tokens (set_role): the new role applies at once everywhere.
      run_blocking(users.set_role(existing->id, demote ? "user" : "admin"));
      log::info(demote ? "admin demoted to user" : "user promoted to admin").str("user_id", existing->id);
      log::flush();
      return 0;
    }
    if (existing) {
      std::fprintf(stderr, "bet2wealth: a user with that email exists; use --promote\n");
      return 1;
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (auto problem = domain::password_problem(password, {*email})) {
      std::fprintf(stderr, "bet2wealth: the password %s\n", problem->c_str());
      return 2;
    }
    auto user = run_blocking(
        users.create(*email, security::PasswordHasher::hash(password), std::nullopt, std::nullopt, "admin"));
    log::info("admin created").str("user_id", user.id);
    log::flush();
    return 0;
  } catch (const std::exception& e) {
    log::error("admin command failed").str("error", e.what());
    log::flush();
    return 1;
  }
}

}  // namespace b2w::app
