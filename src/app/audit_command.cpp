#include "app/audit_command.hpp"

#include <cstdio>

#include "app/blocking.hpp"
#include "observability/log.hpp"
#include "store/audit.hpp"
#include "store/db/factory.hpp"
#include "store/db/migrations.hpp"

namespace b2w::app {

int audit_command(const config::Config& config, const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "verify") {
    std::fputs("usage: bet2wealth audit verify\n", stderr);
    return 2;
  }
  try {
    auto db = store::make_database(config);
    run_blocking(store::ensure_schema(*db, config.migrate_on_start));
    store::AuditRepository audit(*db);
    const auto result = run_blocking(audit.verify());
    if (const auto& broken = result.broken) {
      std::printf("audit chain broken at seq %lld (id %s): %s; %lld records before it are intact\n",
                  static_cast<long long>(broken->seq), broken->id.empty() ? "missing" : broken->id.c_str(),
                  broken->problem.c_str(), static_cast<long long>(result.records));
      log::error("audit chain broken")
          .num("seq", broken->seq)
          .str("id", broken->id)
          .str("problem", broken->problem)
          .num("intact_records", result.records);
      log::flush();
      return 1;
    }
    std::printf("audit chain intact: %lld records\n", static_cast<long long>(result.records));
    log::info("audit chain verified").num("records", result.records);
    log::flush();
    return 0;
  } catch (const std::exception& e) {
    log::error("audit verify failed").str("error", e.what());
    log::flush();
    return 1;
  }
}

}  // namespace b2w::app
