#pragma once
#include "api/route_table.hpp"
#include "sportsbook/catalog_admin.hpp"

namespace b2w::api {

// Role admin (app/routes.cpp): POST /admin/events, PATCH /admin/events/{id}, POST /admin/events/{id}/markets,
// PATCH /admin/markets/{id}, POST /admin/markets/{id}/settle. Each is one call to sportsbook::CatalogAdmin,
// which invalidates the catalogue cache after every change.
RouteHandler create_event(sportsbook::CatalogAdmin& admin);
RouteHandler update_event(sportsbook::CatalogAdmin& admin);
RouteHandler create_market(sportsbook::CatalogAdmin& admin);
RouteHandler update_market(sportsbook::CatalogAdmin& admin);
RouteHandler settle_market(sportsbook::CatalogAdmin& admin);
// GET /admin/markets/{id}/liability: the market's open stakes and what each selection pays if it wins.
RouteHandler market_liability(sportsbook::Catalog& catalog);

}  // namespace b2w::api
