#include "app/components.hpp"

#include <sched.h>

#include <algorithm>
#include <thread>

#include "api/errors.hpp"
#include "api/payments.hpp"
#include "casino/fundist.hpp"
#include "casino/fundist_api.hpp"
#include "config/sport_delays.hpp"

namespace b2w::app {

namespace {

// Where no console is installed (tests that build the components without serve()): every console route is 503.
const api::ConsoleAssets& no_console() {
  static const api::ConsoleAssets none{.index = {}, .files = {}, .problem = "not loaded"};
  return none;
}

// Fundist's outbound API when FUNDIST_API_KEY is set (config checks that the rest is); otherwise none.
std::shared_ptr<casino::GameProvider> fundist_api(const config::Config& config) {
  if (config.fundist_api_key.empty()) return nullptr;
  casino::fundist::ApiOptions options{.base_url = config.fundist_base_url,
                                      .api_key = config.fundist_api_key,
                                      .api_password = config.fundist_api_password,
                                      .player_secret = config.fundist_player_secret,
                                      .merchants = {},
                                      .timeout = config.fundist_timeout};
  std::string_view ids = config.fundist_system_id;
  while (!ids.empty()) {
    const auto comma = ids.find(',');
    auto id = ids.substr(0, comma);
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (!id.empty()) options.merchants.emplace_back(id);
    ids = comma == std::string_view::npos ? std::string_view() : ids.substr(comma + 1);
  }
  return std::make_shared<casino::fundist::FundistApi>(std::move(options));
}

identity::SmtpConfig smtp_config(const config::Config& config) {
  identity::SmtpConfig smtp;
  smtp.host = config.smtp_host;
  smtp.port = static_cast<std::uint16_t>(config.smtp_port);
  smtp.security = config.smtp_security == "tls"     ? identity::SmtpSecurity::implicit_tls
                  : config.smtp_security == "plain" ? identity::SmtpSecurity::plain
                                                    : identity::SmtpSecurity::starttls;
  smtp.user = config.smtp_user;
  smtp.password = config.smtp_password;
  return smtp;
}

stream::HubOptions stream_options(const config::Config& c) {
  stream::HubOptions o;
  o.max_connections = c.stream_max_connections;
  o.max_subscriptions = static_cast<std::size_t>(c.stream_max_subscriptions);
  o.max_message_bytes = static_cast<std::size_t>(c.stream_max_message_bytes);
  o.send_queue_bytes = static_cast<std::size_t>(c.stream_send_queue_bytes);
  o.idle_timeout = c.stream_idle_timeout;
  return o;
}

// The KYC tiers' withdrawal caps, tier by tier.
domain::KycCaps kyc_caps_of(const config::Config& c) {
  domain::KycCaps caps;
  caps.tiers = {{{c.kyc_tier0_withdrawal_daily_amount, c.kyc_tier0_withdrawals_per_day, c.kyc_tier0_max_withdrawal},
                 {c.kyc_tier1_withdrawal_daily_amount, c.kyc_tier1_withdrawals_per_day, c.kyc_tier1_max_withdrawal},
                 {c.kyc_tier2_withdrawal_daily_amount, c.kyc_tier2_withdrawals_per_day, c.kyc_tier2_max_withdrawal}}};
  return caps;
}

// PAYOUT_NAME_MISMATCH, validated to one of these two at start-up.
payments::NameMismatchPolicy name_mismatch_policy(const config::Config& c) {
  return c.payout_name_mismatch == "refuse" ? payments::NameMismatchPolicy::refuse
                                            : payments::NameMismatchPolicy::review;
}

}  // namespace

int default_io_threads() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {

// The config's acceptance delays (LIVE_BET_DELAY_BY_SPORT was checked when the config loaded).
sportsbook::LiveBetDelays live_bet_delays(const config::Config& config) {
  return sportsbook::LiveBetDelays{.fallback = std::chrono::seconds(config.live_bet_delay_seconds),
                                   .by_sport = config::parse_delays_by_sport(config.live_bet_delay_by_sport)
                                                   .value_or(std::map<std::string, std::chrono::seconds>{})};
}

}  // namespace

Components::Components(const config::Config& config, store::Database& db, kv::KeyValueStore& kv,
                       api::HealthState& health, const api::DocsAssets& docs, ComponentOptions options)
    : blocking_(static_cast<std::size_t>(config.blocking_threads > 0 ? config.blocking_threads
                                                                     : std::max(2, default_io_threads())),
                static_cast<std::size_t>(config.blocking_queue)),
      users_(db),
      tokens_(kv, config.jwt_secret.value, config.jwt_refresh_secret.value, config.jwt_expiry,
              config.jwt_refresh_expiry, config.jwt_secret_previous, config.jwt_refresh_secret_previous),
      limiter_(kv),
      email_verification_(db, users_, limiter_, identity::EmailOptions{.web_app_url = config.web_app_url}),
      accounts_(users_, tokens_, limiter_, blocking_,
                auth::AccountLimits{config.login_max_attempts_per_ip, config.register_max_per_ip,
                                    config.login_rate_window, config.login_failure_window,
                                    auth::LoginThrottle{config.login_max_failures_per_account,
                                                        config.login_throttle_base, config.login_throttle_max}},
                email_verification_),
      termii_(identity::TermiiOptions{.base_url = config.termii_base_url,
                                      .api_key = config.termii_api_key,
                                      .sender_id = config.termii_sender_id,
                                      .channel = config.termii_channel,
                                      .timeout = config.termii_timeout,
                                      .pin_minutes = config.otp_ttl_minutes}),
      phone_otps_(db),
      phone_otp_(termii_, phone_otps_, users_, limiter_, accounts_,
                 identity::OtpLimits{.resend_interval = config.otp_resend_interval}),
      password_reset_(db, users_, limiter_, blocking_, phone_otp_,
                      identity::ResetOptions{.web_app_url = config.web_app_url}),
      authenticator_(tokens_, users_),
      guard_(limiter_, tokens_,
             options.rate_limit_points > 0 ? options.rate_limit_points : config.rate_limit_permission_points,
             std::chrono::seconds(config.rate_limit_duration_seconds)),
      ledger_(db),
      stream_hub_(kv, stream_options(config),
                  [&tokens = tokens_](std::string_view token) -> std::optional<std::string> {
                    auto verified = tokens.verify_access(token);
                    if (const auto* claims = std::get_if<security::Claims>(&verified)) return claims->sub;
                    return std::nullopt;
                  }),
      stream_publisher_(kv),
      stream_changes_(stream_publisher_, ledger_),
      player_controls_(db, ledger_),
      player_limit_rows_(db),
      player_limits_(db, player_limit_rows_, config.player_limit_cooling_off),
      player_admin_(db, users_, ledger_, player_limits_),
      payments_(db),
      idempotency_(db),
      audit_(db),
      paystack_(payments::PaystackOptions{config.paystack_base_url, config.paystack_secret_key.value,
                                          config.paystack_timeout, config.paystack_callback_url,
                                          options.paystack_retries}),
      identity_checks_(db),
      identity_verification_(db, users_, identity_checks_, paystack_),
      payout_account_rows_(db),
      // A cold list waits for every page of a fetch, each bounded by PAYSTACK_TIMEOUT: a few of them.
      bank_directory_(paystack_, payments::BankDirectoryOptions{.ttl = config.paystack_banks_ttl,
                                                                .wait = 3 * config.paystack_timeout}),
      payout_accounts_(db, payout_account_rows_, users_, paystack_, bank_directory_,
                       payments::PayoutAccountOptions{.max_per_player = config.payout_accounts_max,
                                                      .on_name_mismatch = name_mismatch_policy(config)}),
      payment_service_(db, payments_, users_, payout_account_rows_, paystack_,
                       payments::PaymentLimits{config.min_deposit, config.min_withdrawal, config.max_transaction_amount,
                                               config.withdrawal_review_threshold, config.max_withdrawals_per_day,
                                               config.require_verified_phone_for_withdrawal, kyc_caps_of(config),
                                               name_mismatch_policy(config) == payments::NameMismatchPolicy::refuse},
                       identity_verification_),
      payment_reconciler_(payment_service_, payments_, paystack_, kv,
                          payments::ReconcilerOptions{.interval = config.payment_reconcile_interval,
                                                      .after = config.payment_reconcile_after,
                                                      .expire_after = config.payment_expire_after,
                                                      .lease = config.payment_reconcile_lease,
                                                      .batch = config.payment_reconcile_batch}),
      payment_reports_(db),
      daily_reconciliation_(payment_reports_, paystack_),
      dashboard_(db),
      catalog_(db),
      catalog_cache_(kv, options.catalog_cache_ttl),
      settlement_(db, static_cast<std::size_t>(config.settlement_batch_size), &stream_changes_),
      catalog_admin_(catalog_, settlement_, catalog_cache_, &stream_changes_),
      feed_(db, settlement_, catalog_cache_,
            sportsbook::FeedOptions{.provider = config.feed_provider,
                                    .hmac_secret = config.feed_hmac_secret,
                                    .max_batch = static_cast<std::size_t>(config.feed_max_batch),
                                    .one_transaction_per_batch = config.feed_transaction == "batch"},
            &stream_changes_),
      bets_(db,
            sportsbook::BettingLimits{config.min_stake, config.max_stake, config.max_payout, config.max_legs,
                                      config.max_payout_per_day},
            live_bet_delays(config), &stream_changes_),
      live_bets_(db, config.max_payout, &stream_changes_),
      fundist_wallet_(db, std::string(casino::fundist::kAggregator),
                      casino::WalletLimits{.max_transaction = config.casino_max_transaction}),
      casino_reports_(db),
      casino_lobby_(users_, fundist_api(config)),
      mail_outbox_(db),
      smtp_(smtp_config(config)),
      google_keys_(identity::GoogleKeysOptions{.jwks_url = config.google_jwks_url, .timeout = config.google_timeout}),
      google_identities_(db),
      google_sign_in_(google_keys_, google_identities_, users_, accounts_, config.google_oauth_client_id),
      staff_(users_),
      services_{config,
                health,
                docs,
                options.console ? *options.console : no_console(),
                db,
                users_,
                ledger_,
                tokens_,
                accounts_,
                authenticator_,
                guard_,
                payment_service_,
                payments_,
                idempotency_,
                audit_,
                paystack_,
                catalog_,
                catalog_cache_,
                settlement_,
                catalog_admin_,
                bets_,
                live_bets_,
                fundist_wallet_,
                casino_reports_,
                casino_lobby_,
                email_verification_,
                password_reset_,
                google_sign_in_,
                phone_otp_,
                player_controls_,
                player_limits_,
                staff_,
                player_admin_,
                identity_verification_,
                daily_reconciliation_,
                dashboard_,
                feed_,
                payout_accounts_,
                stream_hub_} {}

http::Pipeline make_pipeline(const http::Router& router, const config::Config& config, Components& components) {
  return http::Pipeline(router, http::ProxyTrust{config.trusted_proxies, config.trusted_proxy_hops},
                        &components.guard(), &api::translate);
}

}  // namespace b2w::app
