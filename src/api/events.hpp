#pragma once
#include "http/router.hpp"
#include "sportsbook/catalog.hpp"
#include "sportsbook/catalog_cache.hpp"

namespace b2w::api {

// The public catalogue, served from the cache: GET /sports, GET /events, GET /events/{id}.
void register_events(http::Router& router, const std::string& root, sportsbook::Catalog& catalog,
                     sportsbook::CatalogCache& cache);

}  // namespace b2w::api
