#include "app/reconcile_command.hpp"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <optional>

#include "app/blocking.hpp"
#include "domain/error.hpp"
#include "observability/log.hpp"
#include "payments/daily_reconciliation.hpp"
#include "store/db/factory.hpp"
#include "store/db/migrations.hpp"
#include "util/time.hpp"

namespace b2w::app {

namespace {

constexpr const char* kUsage = "usage: bet2wealth reconcile --date YYYY-MM-DD [--json]\n";

std::string table(const domain::ReconciliationReport& r) {
  std::string out;
  auto line = [&out](const std::string& s) { out += s + "\n"; };
  line("Daily reconciliation " + domain::to_string(r.day.date) + " (Africa/Lagos: " + rfc3339(r.day.start) + " to " +
       rfc3339(r.day.end) + ")");
  line("");
  char row[160];
  std::snprintf(row, sizeof row, "%-10s %10s %16s %12s %16s", "side", "deposits", "deposits kobo", "withdrawals",
                "withdrawn kobo");
  line(row);
  const std::pair<const char*, const domain::SideTotals*> sides[] = {{"ours", &r.ours}, {"paystack", &r.paystack}};
  for (const auto& [name, t] : sides) {
    std::snprintf(row, sizeof row, "%-10s %10lld %16lld %12lld %16lld", name, static_cast<long long>(t->deposits),
                  static_cast<long long>(t->deposits_kobo), static_cast<long long>(t->withdrawals),
                  static_cast<long long>(t->withdrawals_kobo));
    line(row);
  }
  line("");
  if (r.mismatches.empty()) {
    line("clean: no mismatch");
  } else {
    line(std::to_string(r.mismatches.size()) + " mismatch(es):");
    std::snprintf(row, sizeof row, "%-20s %-11s %-40s %s", "kind", "payment", "reference", "detail");
    line(row);
    for (const auto& m : r.mismatches) {
      std::snprintf(row, sizeof row, "%-20s %-11s %-40s ", std::string(domain::to_string(m.kind)).c_str(),
                    std::string(domain::to_string(m.payment_kind)).c_str(), m.reference.c_str());
      line(row + m.detail);
    }
  }
  if (!r.different_day.empty()) {
    line("");
    line(std::to_string(r.different_day.size()) + " settled on a different day by each side (not mismatches):");
    for (const auto& d : r.different_day)
      line("  " + std::string(domain::to_string(d.payment_kind)) + " " + d.reference + ": ours " + rfc3339(d.our_at) +
           ", Paystack " + (d.their_at ? rfc3339(*d.their_at) : std::string("outside its listing of the day")));
  }
  return out;
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

int reconcile_command(const config::Config& config, const std::vector<std::string>& args, int report_fd) {
  std::optional<domain::CalendarDate> date;
  bool json = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--date" && i + 1 < args.size()) {
      date = domain::parse_date(args[++i]);
      if (!date) {
        std::fprintf(stderr, "bet2wealth: reconcile: --date must be a date as YYYY-MM-DD\n%s", kUsage);
        return 2;
      }
    } else {
      std::fprintf(stderr, "bet2wealth: reconcile: unexpected argument '%s'\n%s", args[i].c_str(), kUsage);
      return 2;
    }
  }
  if (!date) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  try {
    auto db = store::make_database(config);
    run_blocking(store::ensure_schema(*db, config.migrate_on_start));
    store::PaymentReportRepository reports(*db);
    payments::PaystackClient paystack(payments::PaystackOptions{config.paystack_base_url,
                                                                config.paystack_secret_key.value,
                                                                config.paystack_timeout, config.paystack_callback_url});
    payments::DailyReconciliation reconciliation(reports, paystack);
    const auto report = run_blocking(reconciliation.run(*date));
    write_all(report_fd, json ? boost::json::serialize(payments::report_json(report)) + "\n" : table(report));
    log::info("daily reconciliation done")
        .str("date", domain::to_string(*date))
        .num("mismatches", static_cast<std::int64_t>(report.mismatches.size()));
    log::flush();
    return report.clean() ? 0 : 1;
  } catch (const domain::Error& e) {
    std::fprintf(stderr, "bet2wealth: reconcile: no report: %s\n", e.what());
    log::error("daily reconciliation failed").str("code", e.code()).str("error", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bet2wealth: reconcile: no report: %s\n", e.what());
    log::error("daily reconciliation failed").str("error", e.what());
  }
  log::flush();
  return 2;
}

}  // namespace b2w::app
