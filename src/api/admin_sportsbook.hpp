#pragma once
#include "api/route_table.hpp"
#include "sportsbook/catalog.hpp"
#include "sportsbook/catalog_cache.hpp"
#include "sportsbook/settlement.hpp"

namespace b2w::api {

struct AdminSportsbook {
  sportsbook::Catalog& catalog;
  sportsbook::Settlement& settlement;
  sportsbook::CatalogCache& cache;
};

// Role admin (app/routes.cpp): POST /admin/events, PATCH /admin/events/{id}, POST /admin/events/{id}/markets,
// PATCH /admin/markets/{id}, POST /admin/markets/{id}/settle. Every change invalidates the catalogue cache.
RouteHandler create_event(AdminSportsbook d);
RouteHandler update_event(AdminSportsbook d);
RouteHandler create_market(AdminSportsbook d);
RouteHandler update_market(AdminSportsbook d);
RouteHandler settle_market(AdminSportsbook d);

}  // namespace b2w::api
