#pragma once
#include "api/route_table.hpp"
#include "sportsbook/catalog.hpp"
#include "sportsbook/catalog_cache.hpp"

namespace b2w::api {

struct CatalogRoutes {
  sportsbook::Catalog& catalog;
  sportsbook::CatalogCache& cache;
};

// The public catalogue, served from the cache: GET /sports, GET /events, GET /events/{id}.
RouteHandler sports(CatalogRoutes d);
RouteHandler events(CatalogRoutes d);
RouteHandler event(CatalogRoutes d);

}  // namespace b2w::api
