#pragma once
#include "api/authenticate.hpp"
#include "api/console.hpp"
#include "api/docs.hpp"
#include "api/health.hpp"
#include "api/rate_limit_guard.hpp"
#include "api/route_table.hpp"
#include "auth/accounts.hpp"
#include "auth/staff.hpp"
#include "auth/tokens.hpp"
#include "casino/lobby.hpp"
#include "casino/reports.hpp"
#include "casino/wallet.hpp"
#include "config/config.hpp"
#include "http/router.hpp"
#include "identity/email_verification.hpp"
#include "identity/google_sign_in.hpp"
#include "identity/identity_verification.hpp"
#include "identity/password_reset.hpp"
#include "identity/phone_otp.hpp"
#include "limits/player_controls.hpp"
#include "limits/player_limits.hpp"
#include "payments/daily_reconciliation.hpp"
#include "payments/dashboard.hpp"
#include "payments/payout_accounts.hpp"
#include "payments/paystack.hpp"
#include "payments/service.hpp"
#include "players/player_admin.hpp"
#include "sportsbook/bets.hpp"
#include "sportsbook/catalog.hpp"
#include "sportsbook/catalog_admin.hpp"
#include "sportsbook/catalog_cache.hpp"
#include "sportsbook/feed.hpp"
#include "sportsbook/live_bets.hpp"
#include "sportsbook/settlement.hpp"
#include "store/audit.hpp"
#include "store/db/database.hpp"
#include "store/idempotency.hpp"
#include "store/ledger.hpp"
#include "store/mail_outbox.hpp"
#include "store/payments.hpp"
#include "store/users.hpp"
#include "stream/hub.hpp"

namespace b2w::app {

// What the route handlers depend on; built by the composition root.
struct Services {
  const config::Config& config;
  api::HealthState& health;
  const api::DocsAssets& docs;
  const api::ConsoleAssets& console;
  store::Database& db;
  store::UserRepository& users;
  store::LedgerRepository& ledger;
  auth::TokenService& tokens;
  auth::AccountService& accounts;
  // Money and admin routes check the caller against the database through it.
  const api::Authenticator& authenticator;
  api::RateLimitGuard& guard;
  payments::PaymentService& payment_service;
  store::PaymentRepository& payments;
  store::IdempotencyStore& idempotency;
  store::AuditRepository& audit;  // read by GET /admin/audit; services append through their transactions
  const payments::PaystackClient& paystack;
  sportsbook::Catalog& catalog;
  sportsbook::CatalogCache& catalog_cache;
  sportsbook::Settlement& settlement;
  sportsbook::CatalogAdmin& catalog_admin;
  sportsbook::Bets& bets;
  sportsbook::LiveBets& live_bets;
  casino::CasinoWallet& fundist_wallet;
  casino::CasinoReports& casino_reports;
  casino::CasinoLobby& casino_lobby;
  identity::EmailVerification& email_verification;
  identity::PasswordReset& password_reset;
  identity::GoogleSignIn& google_sign_in;
  identity::PhoneOtp& phone_otp;
  limits::PlayerControls& player_controls;
  limits::PlayerLimits& player_limits;
  auth::StaffService& staff;
  players::PlayerAdmin& player_admin;
  identity::IdentityVerification& identity_verification;
  payments::DailyReconciliation& daily_reconciliation;  // GET /admin/reconciliation
  payments::Dashboard& dashboard;                       // GET /admin/dashboard
  sportsbook::Feed& feed;
  payments::PayoutAccounts& payout_accounts;
  stream::Hub& stream_hub;
};

// Every route of the service with its policy, in one place; returns them as declared.
std::vector<api::DeclaredRoute> register_routes(http::Router& router, Services& services);

}  // namespace b2w::app
