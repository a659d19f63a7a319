#include "app/routes.hpp"

#include "api/admin_sportsbook.hpp"
#include "api/auth.hpp"
#include "api/bets.hpp"
#include "api/events.hpp"
#include "api/payments.hpp"
#include "api/users.hpp"
#include "api/wallet.hpp"

namespace b2w::app {

void register_routes(http::Router& router, Services& s) {
  api::register_health(router, s.config.root_entry, s.health);
  api::register_docs(router, s.config.api_docs, s.docs);
  api::register_auth(router, s.config.root_entry, s.accounts, s.authenticator);
  api::register_users(router, s.config.root_entry, s.users, s.tokens);
  api::register_wallet(router, s.config.root_entry, s.ledger, s.tokens);
  api::register_payments(router, s.config.root_entry,
                         api::PaymentRoutes{s.payment_service, s.payments, s.idempotency, s.paystack, s.authenticator});
  api::register_events(router, s.config.root_entry, s.catalog, s.catalog_cache);
  api::register_admin_sportsbook(router, s.config.root_entry,
                                 api::AdminSportsbookRoutes{s.catalog, s.settlement, s.catalog_cache, s.authenticator});
  api::register_bets(router, s.config.root_entry, s.bets, s.authenticator);
}

}  // namespace b2w::app
