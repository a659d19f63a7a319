#include "app/routes.hpp"

#include "api/admin_players.hpp"
#include "api/admin_reconciliation.hpp"
#include "api/admin_sportsbook.hpp"
#include "api/admin_staff.hpp"
#include "api/audit.hpp"
#include "api/auth.hpp"
#include "api/bets.hpp"
#include "api/casino.hpp"
#include "api/console.hpp"
#include "api/dashboard.hpp"
#include "api/events.hpp"
#include "api/feed.hpp"
#include "api/identity.hpp"
#include "api/payments.hpp"
#include "api/payout_accounts.hpp"
#include "api/route_table.hpp"
#include "api/stream.hpp"
#include "api/users.hpp"
#include "api/wallet.hpp"

namespace b2w::app {

// The whole API: each route with what it requires (api/route_table.hpp) and the handler that serves it.
std::vector<api::DeclaredRoute> register_routes(http::Router& router, Services& s) {
  using enum api::Auth;
  using api::Cache;
  using api::RateLimit;
  using http::Verb;
  api::RouteTable t(router, s.authenticator, s.idempotency, s.guard);
  const std::string& v1 = s.config.root_entry;
  const std::string& docs = s.config.api_docs;
  const api::Policy open_public{};
  const api::Policy private_to_user{.auth = token, .cache = Cache::no_store};
  const api::Policy money_move{.auth = account, .cache = Cache::no_store, .idempotency = api::Idempotency::replayed};
  // Segregation of duties: each admin route admits the staff roles whose duty it is (superadmin always).
  using enum domain::Role;
  const api::Policy trading_desk{.auth = admin, .roles = {trader}, .cache = Cache::no_store};
  const api::Policy finance_desk{.auth = admin, .roles = {finance}, .cache = Cache::no_store};
  const api::Policy support_desk{.auth = admin, .roles = {support}, .cache = Cache::no_store};
  const api::Policy staff_accounts{.auth = admin, .roles = {superadmin}, .cache = Cache::no_store};

  t.add(Verb::get, v1 + "/health-check", {.cache = Cache::no_store, .rate = RateLimit::exempt},
        api::health_check(s.health));
  t.add(Verb::get, docs, open_public, api::docs_file(s.docs, "index.html"));
  t.add(Verb::get, docs + "/openapi.json", open_public, api::docs_file(s.docs, "openapi.json"));
  t.add(Verb::get, docs + "/{asset}", open_public, api::docs_asset(s.docs));
  // The back-office console: a single-page app whose own routes all answer its page.
  const std::string console = v1 + "/console";
  t.add(Verb::get, console, open_public, api::console_page(s.console));
  t.add(Verb::get, console + "/assets/{asset}", open_public, api::console_asset(s.console));
  t.add(Verb::get, console + "/{page}", open_public, api::console_page(s.console));
  t.add(Verb::get, console + "/{page}/{id}", open_public, api::console_page(s.console));

  t.add(Verb::post, v1 + "/auth/register", {.cache = Cache::no_store}, api::register_account(s.accounts));
  t.add(Verb::post, v1 + "/auth/login", {.cache = Cache::no_store}, api::login(s.accounts));
  t.add(Verb::post, v1 + "/auth/refresh", {.cache = Cache::no_store}, api::refresh(s.accounts));
  t.add(Verb::post, v1 + "/auth/logout", {.cache = Cache::no_store}, api::logout(s.accounts));
  t.add(Verb::post, v1 + "/auth/logout-all", {.auth = account, .cache = Cache::no_store}, api::logout_all(s.accounts));
  t.add(Verb::post, v1 + "/auth/email/verify", {.cache = Cache::no_store}, api::verify_email(s.email_verification));
  t.add(Verb::post, v1 + "/auth/email/resend", {.auth = account, .cache = Cache::no_store},
        api::resend_verification(s.email_verification));
  t.add(Verb::post, v1 + "/auth/password/forgot", {.cache = Cache::no_store}, api::forgot_password(s.password_reset));
  t.add(Verb::post, v1 + "/auth/password/reset", {.cache = Cache::no_store}, api::reset_password(s.password_reset));
  t.add(Verb::post, v1 + "/auth/google", {.cache = Cache::no_store}, api::google_sign_in(s.google_sign_in));
  t.add(Verb::post, v1 + "/auth/otp/send", {.auth = optional, .cache = Cache::no_store},
        api::send_phone_code(s.phone_otp));
  t.add(Verb::post, v1 + "/auth/otp/verify", {.auth = optional, .cache = Cache::no_store},
        api::verify_phone_code(s.phone_otp, s.password_reset));
  t.add(Verb::get, v1 + "/users/me", private_to_user, api::current_user(s.users));
  t.add(Verb::patch, v1 + "/users/me", {.auth = account, .cache = Cache::no_store},
        api::update_current_user(s.player_controls));
  t.add(Verb::get, v1 + "/users/me/activity", private_to_user, api::activity(s.player_controls));
  t.add(Verb::get, v1 + "/users/me/limits", private_to_user, api::player_limits(s.player_limits));
  t.add(Verb::put, v1 + "/users/me/limits", {.auth = account, .cache = Cache::no_store},
        api::change_player_limits(s.player_limits));
  t.add(Verb::get, v1 + "/users/me/identity", private_to_user, api::own_identity(s.identity_verification));
  t.add(Verb::post, v1 + "/users/me/identity", {.auth = account, .cache = Cache::no_store},
        api::submit_identity(s.identity_verification));
  t.add(Verb::post, v1 + "/users/me/self-exclusion", {.auth = account, .cache = Cache::no_store},
        api::self_exclude(s.player_controls));

  t.add(Verb::get, v1 + "/wallet", private_to_user, api::wallet_balances(s.ledger));
  t.add(Verb::get, v1 + "/wallet/transactions", private_to_user, api::wallet_transactions(s.ledger));
  t.add(Verb::post, v1 + "/wallet/deposits", money_move, api::start_deposit(s.payment_service));
  t.add(Verb::post, v1 + "/wallet/withdrawals", money_move, api::request_withdrawal(s.payment_service));
  t.add(Verb::get, v1 + "/wallet/withdrawals/{id}", private_to_user, api::own_withdrawal(s.payment_service));
  t.add(Verb::get, v1 + "/wallet/banks", private_to_user, api::list_banks(s.payout_accounts));
  t.add(Verb::get, v1 + "/wallet/payout-accounts", private_to_user, api::list_payout_accounts(s.payout_accounts));
  t.add(Verb::post, v1 + "/wallet/payout-accounts", {.auth = account, .cache = Cache::no_store},
        api::save_payout_account(s.payout_accounts));
  t.add(Verb::delete_, v1 + "/wallet/payout-accounts/{id}", {.auth = account, .cache = Cache::no_store},
        api::remove_payout_account(s.payout_accounts));
  t.add(Verb::post, v1 + "/payments/paystack/webhook", {.rate = RateLimit::exempt},
        api::paystack_webhook(s.payment_service, s.config.paystack_webhook_ips));
  t.add(Verb::get, v1 + "/admin/withdrawals", finance_desk, api::review_queue(s.payment_service));

  // Seamless wallet: the aggregator calls for every bet and win (signed; always 200, errors in the body).
  t.add(Verb::post, v1 + "/casino/fundist/callback", {.rate = RateLimit::exempt},
        api::fundist_callback(s.fundist_wallet, api::FundistCallbackOptions{s.config.fundist_hmac_secret,
                                                                            s.config.fundist_callback_networks}));
  t.add(Verb::get, v1 + "/casino/games", {.cache = Cache::handler}, api::casino_games(s.casino_lobby));
  t.add(Verb::post, v1 + "/casino/sessions", {.auth = account, .cache = Cache::no_store},
        api::start_casino_session(s.casino_lobby));
  t.add(Verb::get, v1 + "/casino/rounds", private_to_user, api::own_rounds(s.casino_reports));
  t.add(Verb::get, v1 + "/admin/casino/summary", finance_desk, api::casino_summary(s.casino_reports));
  t.add(Verb::get, v1 + "/admin/reconciliation", finance_desk, api::daily_reconciliation(s.daily_reconciliation));
  // The day's figures: the book's (trading) and the money's (finance).
  t.add(Verb::get, v1 + "/admin/dashboard", {.auth = admin, .roles = {trader, finance}, .cache = Cache::no_store},
        api::dashboard(s.dashboard));
  t.add(Verb::post, v1 + "/admin/withdrawals/{id}/approve", finance_desk, api::approve_withdrawal(s.payment_service));
  t.add(Verb::post, v1 + "/admin/withdrawals/{id}/reject", finance_desk, api::reject_withdrawal(s.payment_service));
  // The audit trail: for the owners of the business (superadmin) only.
  t.add(Verb::get, v1 + "/admin/audit", staff_accounts, api::audit_log(s.audit));

  const api::CatalogRoutes catalog{s.catalog, s.catalog_cache};
  t.add(Verb::get, v1 + "/sports", open_public, api::sports(catalog));
  t.add(Verb::get, v1 + "/events", open_public, api::events(catalog));
  t.add(Verb::get, v1 + "/events/{id}", open_public, api::event(catalog));
  // The live push: a WebSocket per client; the token, if any, comes in the first message (browsers set no headers).
  t.add(Verb::get, v1 + "/stream", open_public,
        api::open_stream({s.stream_hub, s.health, api::origin_list(s.config.stream_allowed_origins)}));
  const api::Policy bet_placement{.auth = account, .cache = Cache::no_store, .idempotency = api::Idempotency::keyed};
  t.add(Verb::post, v1 + "/bets", bet_placement, api::place_bet(s.bets, s.live_bets));
  t.add(Verb::get, v1 + "/bets", private_to_user, api::own_bets(s.bets));
  t.add(Verb::get, v1 + "/bets/{id}", private_to_user, api::own_bet(s.bets));

  t.add(Verb::post, v1 + "/admin/events", trading_desk, api::create_event(s.catalog_admin));
  t.add(Verb::patch, v1 + "/admin/events/{id}", trading_desk, api::update_event(s.catalog_admin));
  t.add(Verb::post, v1 + "/admin/events/{id}/markets", trading_desk, api::create_market(s.catalog_admin));
  t.add(Verb::patch, v1 + "/admin/markets/{id}", trading_desk, api::update_market(s.catalog_admin));
  t.add(Verb::post, v1 + "/admin/markets/{id}/settle", trading_desk, api::settle_market(s.catalog_admin));
  t.add(Verb::get, v1 + "/admin/markets/{id}/liability", trading_desk, api::market_liability(s.catalog));
  // The trading feed: signed with its own secret (X-Feed-Signature), many requests a second.
  t.add(Verb::post, v1 + "/feed/messages", {.cache = Cache::no_store, .rate = RateLimit::exempt},
        api::feed_messages(s.feed));
  t.add(Verb::get, v1 + "/admin/feed/rollbacks", trading_desk, api::feed_rollbacks(s.feed));

  const auto cooling_off = s.config.player_limit_cooling_off;
  t.add(Verb::get, v1 + "/admin/users", support_desk, api::find_players(s.player_admin));
  t.add(Verb::get, v1 + "/admin/users/{id}", support_desk, api::player_detail(s.player_admin, cooling_off));
  t.add(Verb::post, v1 + "/admin/users/{id}/lock", support_desk, api::lock_player(s.player_admin, true));
  t.add(Verb::post, v1 + "/admin/users/{id}/unlock", support_desk, api::lock_player(s.player_admin, false));
  t.add(Verb::post, v1 + "/admin/users/{id}/limits", support_desk,
        api::lower_player_limits(s.player_admin, cooling_off));
  t.add(Verb::put, v1 + "/admin/users/{id}/tier", support_desk, api::set_player_tier(s.player_admin));
  t.add(Verb::get, v1 + "/admin/staff", staff_accounts, api::list_staff(s.staff));
  t.add(Verb::post, v1 + "/admin/staff", staff_accounts, api::assign_staff_role(s.staff));
  return t.declared();
}

}  // namespace b2w::app
