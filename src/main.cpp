// bet2wealth: the Bet2wealth backend service and its operator commands.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/admin_command.hpp"
#include "app/audit_command.hpp"
#include "app/database_commands.hpp"
#include "app/ledger_command.hpp"
#include "app/reconcile_command.hpp"
#include "app/serve.hpp"
#include "config/config.hpp"
#include "observability/log.hpp"
#include "version.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: bet2wealth [COMMAND]\n"
    "\n"
    "Commands:\n"
    "  serve        run the HTTP service (default)\n"
    "  migrate      apply the database migrations and exit\n"
    "  db-roles     create or update the app and migrator PostgreSQL login roles (as the RDS master user)\n"
    "  ledger verify  check every balance against its entries; exit 1 on any mismatch\n"
    "  audit verify   check the audit trail's hash chain; exit 1 naming the first broken record\n"
    "  reconcile --date YYYY-MM-DD [--json]\n"
    "               compare one Lagos day's deposits and withdrawals with Paystack's and the ledger's;\n"
    "               exit 1 on any mismatch, 2 when no report could be made\n"
    "  admin create --email EMAIL [--role ROLE] [--promote]\n"
    "               create a staff account (password on stdin; ROLE defaults to superadmin),\n"
    "               or with --promote give an existing account the role\n"
    "  admin role --email EMAIL --role ROLE\n"
    "               change an account's role: user, trader, finance, support or superadmin\n"
    "               (their tokens are revoked)\n"
    "  admin demote --email EMAIL\n"
    "               make a staff account a user again (as admin role --role user)\n"
    "  admin lock|unlock --email EMAIL\n"
    "               lock a player (no casino stakes, tokens revoked), or unlock them\n"
    "  config --markdown  print README.md's configuration table\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  -V, --version  print the version\n"
    "\n"
    "Configuration comes from environment variables; see README.md.\n";

// Loads and validates the configuration; on any problem prints one line per
// problem and returns nullopt (the caller exits 2).
std::optional<b2w::config::Config> load_config() {
  auto result = b2w::config::load(b2w::config::environment_from_process(), b2w::kBuildVersion);
  if (!result.errors.empty()) {
    for (const auto& e : result.errors) std::fprintf(stderr, "bet2wealth: configuration error: %s\n", e.c_str());
    return std::nullopt;
  }
  const auto& c = result.config;
  b2w::log::configure(*b2w::log::parse_level(c.log_level), c.secret_values());
  b2w::log::info("starting")
      .str("app", c.app_name)
      .str("version", c.app_version)
      .str("env", c.app_env)
      .object("config", c.summary());
  for (const auto& w : result.warnings) b2w::log::warn(w);
  return std::move(result.config);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? std::string_view(argv[1]) : std::string_view("serve");
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "-V" || command == "--version") {
    std::printf("bet2wealth %s\n", b2w::kBuildVersion);
    return 0;
  }
  if (command == "serve") {
    if (argc > 2) {
      std::fprintf(stderr, "bet2wealth: serve takes no arguments\n%s", kUsage);
      return 2;
    }
    auto config = load_config();
    if (!config) return 2;
    return b2w::app::serve(*config);
  }
  if (command == "ledger") {
    auto config = load_config();
    if (!config) return 2;
    return b2w::app::ledger_command(*config, std::vector<std::string>(argv + 2, argv + argc));
  }
  if (command == "reconcile") {
    // The report is the command's output: logs go to stderr, so stdout carries the report alone (--json parses).
    const int report_fd = ::dup(STDOUT_FILENO);
    if (report_fd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) return 2;
    auto config = load_config();
    if (!config) return 2;
    return b2w::app::reconcile_command(*config, std::vector<std::string>(argv + 2, argv + argc), report_fd);
  }
  if (command == "audit") {
    auto config = load_config();
    if (!config) return 2;
    return b2w::app::audit_command(*config, std::vector<std::string>(argv + 2, argv + argc));
  }
  if (command == "admin") {
    auto config = load_config();
    if (!config) return 2;
    return b2w::app::admin_command(*config, std::vector<std::string>(argv + 2, argv + argc));
  }
  if (command == "config") return b2w::config::config_command(std::vector<std::string>(argv + 2, argv + argc));
  if (command == "migrate") {
    auto config = load_config();
    if (!config) return 2;
    return b2w::app::migrate_command(*config);
  }
  if (command == "db-roles") {
    auto config = load_config();
    if (!config) return 2;
    return b2w::app::db_roles_command(*config);
  }
  std::fprintf(stderr, "bet2wealth: unknown command '%s'\n%s", std::string(command).c_str(), kUsage);
  return 2;
}
