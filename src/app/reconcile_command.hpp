#pragma once
#include <string>
#include <vector>

#include "config/config.hpp"

namespace b2w::app {

// bet2wealth reconcile --date YYYY-MM-DD [--json]: the daily reconciliation of one Lagos day
// (payments::DailyReconciliation), written to `report_fd` as a table or, with --json, one JSON document.
// Exits 0 when clean, 1 when any mismatch, 2 on a usage error or when no report could be made (Paystack
// unreachable, the database failing): never a partial "clean".
int reconcile_command(const config::Config& config, const std::vector<std::string>& args, int report_fd);

}  // namespace b2w::app
