#pragma once
#include "auth/authenticate.hpp"
#include "http/router.hpp"
#include "sportsbook/catalog.hpp"
#include "sportsbook/catalog_cache.hpp"
#include "sportsbook/settlement.hpp"

namespace b2w::api {

struct AdminSportsbookRoutes {
  sportsbook::Catalog& catalog;
  sportsbook::Settlement& settlement;
  sportsbook::CatalogCache& cache;
  const auth::Authenticator& auth;
};

// Role admin: POST /admin/events, PATCH /admin/events/{id}, POST /admin/events/{id}/markets,
// PATCH /admin/markets/{id}, POST /admin/markets/{id}/settle. Each is one call to sportsbook::CatalogAdmin,
// which invalidates the catalogue cache after every change.
void register_admin_sportsbook(http::Router& router, const std::string& root, AdminSportsbookRoutes d);

}  // namespace b2w::api
