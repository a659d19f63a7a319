#include "app/ledger_command.hpp"

#include <cstdio>

#include "app/blocking.hpp"
#include "observability/log.hpp"
#include "store/db/factory.hpp"
#include "store/db/migrations.hpp"
#include "store/ledger.hpp"

namespace b2w::app {

int ledger_command(const config::Config& config, const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "verify") {
    std::fputs("usage: bet2wealth ledger verify\n", stderr);
    return 2;
  }
  try {
    auto db = store::make_database(config);
    run_blocking(store::ensure_schema(*db, config.migrate_on_start));
    store::LedgerRepository ledger(*db);
    const auto problems = run_blocking(ledger.verify());
    for (const auto& p : problems) log::error("ledger mismatch").str("problem", p);
    if (problems.empty()) log::info("ledger verified: every balance matches its entries and every invariant holds");
    log::flush();
    return problems.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    log::error("ledger verify failed").str("error", e.what());
    log::flush();
    return 1;
  }
}

}  // namespace b2w::app
