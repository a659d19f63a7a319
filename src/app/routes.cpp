#include "app/routes.hpp"

namespace b2w::app {

void register_routes(http::Router& router, Services& s) {
  api::register_health(router, s.config.root_entry, s.health);
  api::register_docs(router, s.config.api_docs, s.docs);
}

}  // namespace b2w::app
