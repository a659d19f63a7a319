// Every routed path is in the OpenAPI document (and the document only names real routes).
#include "app/routes.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "app/components.hpp"
#include "kv/memory_store.hpp"
#include "store/db/sqlite_database.hpp"

using namespace b2w;

namespace {

boost::json::object load_openapi() {
  std::ifstream in(std::string(B2W_SOURCE_DIR) + "/api/openapi.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return boost::json::parse(ss.str()).as_object();
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The production wiring (app::Components) over an in-memory store.
struct Wired {
  config::LoadResult loaded = config::load({}, "test");
  api::HealthState health;
  api::DocsAssets docs;
  store::SqliteDatabase db{":memory:"};
  kv::MemoryStore kv;
  app::Components components{loaded.config, db, kv, health, docs};
  http::Router router;
  std::vector<api::DeclaredRoute> declared = app::register_routes(router, components.services());
};

std::set<std::string> routed_operations() {
  Wired w;
  const auto& loaded = w.loaded;
  const auto& router = w.router;
  std::set<std::string> ops;
  const std::string root = loaded.config.root_entry;
  for (const auto& route : router.routes()) {
    EXPECT_EQ(route.pattern.rfind(root, 0), 0u) << route.pattern << " is not under ROOT_ENTRY";
    const std::string method = lower(std::string(http::beast_http::to_string(route.method)));
    const std::string path = route.pattern.substr(root.size());
    ops.insert(method + " " + path);
    if (method == "get") ops.insert("head " + path);
  }
  return ops;
}

}  // namespace

TEST(OpenApi, EveryRouteIsDocumented) {
  auto doc = load_openapi();
  const auto& paths = doc["paths"].as_object();
  for (const auto& op : routed_operations()) {
    const auto space = op.find(' ');
    const auto method = op.substr(0, space);
    const auto path = op.substr(space + 1);
    if (method == "head" && !paths.contains(path)) continue;
    ASSERT_TRUE(paths.contains(path)) << path << " is routed but not in api/openapi.json";
    if (method == "head") continue;  // HEAD is implied by GET
    EXPECT_TRUE(paths.at(path).as_object().contains(method)) << op << " is routed but not documented";
  }
}

TEST(OpenApi, EveryDocumentedOperationIsRouted) {
  auto doc = load_openapi();
  const auto ops = routed_operations();
  for (const auto& [path, item] : doc["paths"].as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(ops.count(std::string(method) + " " + std::string(path)))
          << method << " " << path << " is documented but not routed";
      EXPECT_TRUE(op.as_object().contains("responses")) << path;
    }
  }
}

TEST(OpenApi, DocumentsTheErrorShape) {
  auto doc = load_openapi();
  const auto& error = doc["components"].as_object()["schemas"].as_object()["Error"].as_object();
  const auto& inner = error.at("properties").as_object().at("error").as_object();
  const auto& required = inner.at("required").as_array();
  EXPECT_EQ(required.size(), 3u);
}

// The policies the table declares hold the rules the README states for every route of a kind.
TEST(RoutePolicies, AdminRoutesNeedAnAdminAndMoneyMovesAKeyAndNothingPrivateIsCached) {
  Wired w;
  ASSERT_EQ(w.declared.size(), w.router.routes().size()) << "every route goes through the route table";
  const std::string& v1 = w.loaded.config.root_entry;
  for (const auto& route : w.declared) {
    const auto& p = route.policy;
    const std::string path = route.path.substr(v1.size());
    if (path.rfind("/admin/", 0) == 0) {
      EXPECT_EQ(p.auth, api::Auth::admin) << route.path;
    } else {
      EXPECT_NE(p.auth, api::Auth::admin) << route.path << ": staff routes live under /admin/";
    }
    if (route.verb == http::Verb::post &&
        (path == "/wallet/deposits" || path == "/wallet/withdrawals" || path == "/bets")) {
      EXPECT_TRUE(p.idempotency != api::Idempotency::none && p.auth == api::Auth::account) << route.path;
    }
    if (p.auth != api::Auth::none) {
      EXPECT_EQ(p.cache, api::Cache::no_store) << route.path;
    }
    if (p.rate == api::RateLimit::exempt) {
      EXPECT_TRUE(path == "/health-check" || path == "/payments/paystack/webhook" ||
                  path == "/casino/fundist/callback" || path == "/feed/messages")
          << route.path;
    }
  }
}

// Segregation of duties: every admin route names the staff roles whose duty it is (README, "Staff roles").
TEST(RoutePolicies, EveryAdminRouteDeclaresTheRolesItAdmits) {
  Wired w;
  using R = domain::Role;
  const std::string& v1 = w.loaded.config.root_entry;
  int admin_routes = 0;
  for (const auto& route : w.declared) {
    const std::string path = route.path.substr(v1.size());
    const auto& roles = route.policy.roles;
    if (path.rfind("/admin/", 0) != 0) {
      EXPECT_TRUE(roles.empty()) << route.path;
      continue;
    }
    ++admin_routes;
    EXPECT_FALSE(roles.empty()) << route.path << " declares no role";
    EXPECT_FALSE(roles.contains(R::user)) << route.path << " admits players";
    EXPECT_TRUE(roles.admit(R::superadmin)) << route.path;
    if (path.rfind("/admin/staff", 0) == 0 || path.rfind("/admin/audit", 0) == 0) {
      // Staff accounts, and the trail of what every staff member did, are the owners' (superadmins') alone.
      EXPECT_EQ(roles, domain::Roles{R::superadmin}) << route.path << ": for superadmins only";
    } else {
      EXPECT_FALSE(roles.contains(R::superadmin)) << route.path << ": superadmin is implied; name the duty";
    }
    if (path.rfind("/admin/events", 0) == 0 || path.rfind("/admin/markets", 0) == 0) {
      EXPECT_EQ(roles, domain::Roles{R::trader}) << route.path;
    }
    if (path.rfind("/admin/withdrawals", 0) == 0 || path.rfind("/admin/casino", 0) == 0 ||
        path.rfind("/admin/payments", 0) == 0) {
      EXPECT_EQ(roles, domain::Roles{R::finance}) << route.path;
    }
    if (path.rfind("/admin/users", 0) == 0) {
      EXPECT_TRUE(roles.contains(R::support)) << route.path;
    }
  }
  EXPECT_GE(admin_routes, 11);
}

// The document tells clients which staff roles each admin operation admits, as the table does.
TEST(OpenApi, AdminOperationsListTheRolesTheRouteTableAdmits) {
  auto doc = load_openapi();
  const auto& paths = doc["paths"].as_object();
  Wired w;
  const std::string& v1 = w.loaded.config.root_entry;
  for (const auto& route : w.declared) {
    if (route.policy.auth != api::Auth::admin) continue;
    const std::string path = route.path.substr(v1.size());
    const std::string method = lower(std::string(http::beast_http::to_string(route.verb)));
    const auto* op = paths.at(path).as_object().at(method).as_object().if_contains("x-staff-roles");
    ASSERT_TRUE(op && op->is_array()) << method << " " << path << " has no x-staff-roles";
    domain::Roles documented;
    for (const auto& name : op->as_array()) {
      const auto role = domain::parse_role(name.as_string());
      ASSERT_TRUE(role) << path << ": " << name;
      documented = documented.with(*role);
    }
    EXPECT_EQ(documented, route.policy.roles) << method << " " << path;
  }
}

TEST(RoutePolicies, RolesOnARouteThatIsNotAnAdminRouteAreRefusedAtRegistration) {
  Wired w;
  api::RouteTable table(w.router, w.components.services().authenticator, w.components.services().idempotency,
                        w.components.guard());
  EXPECT_THROW(
      table.add(http::Verb::get, "/api/v1/not-staff", {.auth = api::Auth::account, .roles = {domain::Role::trader}},
                [](api::Call) -> http::Awaitable<http::Response> { co_return http::Response{}; }),
      std::invalid_argument);
}

TEST(RoutePolicies, AnIdempotentRouteWithoutACallerIsRefusedAtRegistration) {
  Wired w;
  api::RouteTable table(w.router, w.components.services().authenticator, w.components.services().idempotency,
                        w.components.guard());
  EXPECT_THROW(table.add(http::Verb::post, "/api/v1/nobody", {.idempotency = api::Idempotency::replayed},
                         [](api::Call) -> http::Awaitable<http::Response> { co_return http::Response{}; }),
               std::invalid_argument);
  // A caller who may be absent is no caller to key on.
  EXPECT_THROW(table.add(http::Verb::post, "/api/v1/maybe-somebody",
                         {.auth = api::Auth::optional, .idempotency = api::Idempotency::keyed},
                         [](api::Call) -> http::Awaitable<http::Response> { co_return http::Response{}; }),
               std::invalid_argument);
}
