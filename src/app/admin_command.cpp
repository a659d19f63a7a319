#include "app/admin_command.hpp"

#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <variant>

#include "app/blocking.hpp"
#include "auth/staff.hpp"
#include "domain/accounts.hpp"
#include "domain/error.hpp"
#include "domain/passwords.hpp"
#include "domain/roles.hpp"
#include "observability/log.hpp"
#include "players/player_admin.hpp"
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
    // Built first: no braced temporaries inside a co_await expression (GCC 12, docs/architecture.md).
    auto entry = players::lock_record(domain::Actor{"cli", "cli", ""}, user_id, *was_locked, lock, "command line");
    co_await store::AuditRepository::append(tx, std::move(entry));
  });
}

int usage() {
  std::fputs(
      "usage: bet2wealth admin create --email EMAIL [--role ROLE]   (password on stdin; ROLE defaults to superadmin)\n"
      "       bet2wealth admin create --email EMAIL --promote [--role ROLE]   (an existing account)\n"
      "       bet2wealth admin role --email EMAIL --role ROLE\n"
      "       bet2wealth admin demote --email EMAIL   (same as: admin role --role user)\n"
      "       bet2wealth admin lock|unlock --email EMAIL\n"
      "roles: user, trader, finance, support, superadmin\n",
      stderr);
  return 2;
}

struct Arguments {
  std::string command;
  std::string email;
  std::optional<domain::Role> role;
  bool promote = false;
};

// Parsed arguments, or the exit status of a usage error.
std::variant<Arguments, int> parse(const std::vector<std::string>& args) {
  Arguments a;
  if (args.empty()) return usage();
  a.command = args[0];
  if (a.command != "create" && a.command != "role" && a.command != "demote" && a.command != "lock" &&
      a.command != "unlock")
    return usage();
  const bool takes_role = a.command == "create" || a.command == "role";
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--email" && i + 1 < args.size()) {
      a.email = args[++i];
    } else if (args[i] == "--promote" && a.command == "create") {
      a.promote = true;
    } else if (args[i] == "--role" && takes_role && i + 1 < args.size()) {
      a.role = domain::parse_role(args[++i]);
      if (!a.role) {
        std::fprintf(stderr, "bet2wealth: --role must be one of: %s\n", domain::role_names().c_str());
        return 2;
      }
    } else {
      return usage();
    }
  }
  if (a.command == "role" && !a.role) return usage();
  return a;
}

int no_such_user() {
  std::fprintf(stderr, "bet2wealth: no user with that email\n");
  return 1;
}

}  // namespace

int admin_command(const config::Config& config, const std::vector<std::string>& args) {
  auto parsed = parse(args);
  if (const auto* status = std::get_if<int>(&parsed)) return *status;
  auto& a = std::get<Arguments>(parsed);
  const auto email = domain::normalize_email(a.email);
  if (!email) {
    std::fprintf(stderr, "bet2wealth: --email must be a valid email address\n");
    return 2;
  }
  // `admin create` made the one all-powerful administrator before staff roles: it still does by default.
  const domain::Role role = a.command == "demote" ? domain::Role::user : a.role.value_or(domain::Role::superadmin);
  try {
    auto db = store::make_database(config);
    run_blocking(store::ensure_schema(*db, config.migrate_on_start));
    store::UserRepository users(*db);
    if (a.command == "lock" || a.command == "unlock") {
      auto existing = run_blocking(users.find_by_email(*email));
      if (!existing) return no_such_user();
      // A lock also ends every session (as a role change does); unlocking lets the player sign in again.
      // Recorded in the audit trail, as made by the command line, in the same transaction.
      const bool lock = a.command == "lock";
      run_blocking(set_locked_audited(*db, existing->id, lock));
      log::info(lock ? "user locked" : "user unlocked").str("user_id", existing->id);
      log::flush();
      return 0;
    }
    if (a.command == "role" || a.command == "demote" || a.promote) {
      // The operator at the console acts as no staff member: the own-role rule is for the API.
      auth::StaffService staff(users);
      bool missing = false;
      try {
        auto change = run_blocking(staff.assign(std::nullopt, *email, role));
        // A role change also revokes the user's tokens (set_role): the new role applies at once everywhere.
        log::info(change.changed ? "role changed" : "role unchanged")
            .str("user_id", change.user.id)
            .str("from", std::string(domain::to_string(change.previous)))
            .str("to", change.user.role);
        log::flush();
      } catch (const domain::Error& e) {
        if (e.code() != "user_not_found") throw;
        missing = true;
      }
      return missing ? no_such_user() : 0;
    }
    auto existing = run_blocking(users.find_by_email(*email));
    if (existing) {
      std::fprintf(stderr, "bet2wealth: a user with that email exists; use `admin role` (or --promote)\n");
      return 1;
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (auto problem = domain::password_problem(password, {*email})) {
      std::fprintf(stderr, "bet2wealth: the password %s\n", problem->c_str());
      return 2;
    }
    auto user = run_blocking(users.create(*email, security::PasswordHasher::hash(password), std::nullopt, std::nullopt,
                                          std::string(domain::to_string(role))));
    log::info("staff account created").str("user_id", user.id).str("role", user.role);
    log::flush();
    return 0;
  } catch (const std::exception& e) {
    log::error("admin command failed").str("error", e.what());
    log::flush();
    return 1;
  }
}

}  // namespace b2w::app
