#pragma once
#include <chrono>
#include <memory>

#include "api/rate_limit_guard.hpp"
#include "api/stream.hpp"
#include "app/routes.hpp"
#include "auth/rate_limiter.hpp"
#include "http/pipeline.hpp"
#include "identity/smtp_client.hpp"
#include "kv/kv.hpp"
#include "payments/daily_reconciliation.hpp"
#include "payments/dashboard.hpp"
#include "payments/reconciler.hpp"
#include "sportsbook/live_bets.hpp"
#include "util/blocking_pool.hpp"

namespace b2w::app {

// What may differ from production when the components run inside a test harness (the route fuzzer).
struct ComponentOptions {
  int paystack_retries = 2;                     // resends of a request that never reached Paystack
  int rate_limit_points = 0;                    // 0: RATE_LIMIT_PERMISSION_POINTS
  std::chrono::seconds catalog_cache_ttl{5};    // bounds an entry's life if the store misses a version increment
  const api::ConsoleAssets* console = nullptr;  // the back-office console's assets (serve() loads them); none: 503
};

// Every component the routes need, built from the configuration in dependency order: the one place the
// service is wired. serve() and the route fuzzer both build it, so what is fuzzed is what runs.
class Components {
 public:
  Components(const config::Config& config, store::Database& db, kv::KeyValueStore& kv, api::HealthState& health,
             const api::DocsAssets& docs, ComponentOptions options = {});
  Components(const Components&) = delete;
  Components& operator=(const Components&) = delete;

  Services& services() { return services_; }
  api::RateLimitGuard& guard() { return guard_; }
  sportsbook::Settlement& settlement() { return settlement_; }
  sportsbook::LiveBets& live_bets() { return live_bets_; }
  casino::CasinoLobby& casino_lobby() { return casino_lobby_; }
  store::MailOutbox& mail_outbox() { return mail_outbox_; }
  identity::SmtpClient& smtp() { return smtp_; }
  payments::Reconciler& payment_reconciler() { return payment_reconciler_; }
  stream::Hub& stream_hub() { return stream_hub_; }

 private:
  BlockingPool blocking_;  // password hashing and other CPU-heavy work, off the I/O threads; full: 503
  store::UserRepository users_;
  auth::TokenService tokens_;
  auth::RateLimiter limiter_;
  identity::EmailVerification email_verification_;
  auth::AccountService accounts_;
  identity::Termii termii_;
  store::PhoneOtpRepository phone_otps_;
  identity::PhoneOtp phone_otp_;
  identity::PasswordReset password_reset_;
  api::Authenticator authenticator_;
  api::RateLimitGuard guard_;
  store::LedgerRepository ledger_;
  stream::Hub stream_hub_;  // the WebSocket clients of GET /stream; attached to the I/O threads by serve()
  stream::Publisher stream_publisher_;
  api::StreamChanges stream_changes_;  // the sportsbook's changes, pushed through the publisher
  limits::PlayerControls player_controls_;
  store::PlayerLimitRepository player_limit_rows_;
  limits::PlayerLimits player_limits_;
  players::PlayerAdmin player_admin_;
  store::PaymentRepository payments_;
  store::IdempotencyStore idempotency_;
  store::AuditRepository audit_;
  payments::PaystackClient paystack_;
  store::IdentityCheckRepository identity_checks_;
  identity::IdentityVerification identity_verification_;
  store::PayoutAccountRepository payout_account_rows_;
  payments::BankDirectory bank_directory_;
  payments::PayoutAccounts payout_accounts_;
  payments::PaymentService payment_service_;
  payments::Reconciler payment_reconciler_;
  store::PaymentReportRepository payment_reports_;
  payments::DailyReconciliation daily_reconciliation_;
  payments::Dashboard dashboard_;
  sportsbook::Catalog catalog_;
  sportsbook::CatalogCache catalog_cache_;
  sportsbook::Settlement settlement_;
  sportsbook::CatalogAdmin catalog_admin_;
  sportsbook::Feed feed_;
  sportsbook::Bets bets_;
  sportsbook::LiveBets live_bets_;
  casino::CasinoWallet fundist_wallet_;
  casino::CasinoReports casino_reports_;
  casino::CasinoLobby casino_lobby_;
  store::MailOutbox mail_outbox_;
  identity::SmtpClient smtp_;
  identity::GoogleKeys google_keys_;
  store::GoogleIdentityRepository google_identities_;
  identity::GoogleSignIn google_sign_in_;
  auth::StaffService staff_;
  Services services_;
};

// The request pipeline production runs over `router`: proxy trust from the configuration, the rate-limit
// guard, and domain errors mapped to statuses by api/.
http::Pipeline make_pipeline(const http::Router& router, const config::Config& config, Components& components);

// One I/O thread per CPU this process may run on (taskset and cgroup cpusets narrow it).
int default_io_threads();

}  // namespace b2w::app
