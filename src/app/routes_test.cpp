// Every routed path is in the OpenAPI document (and the document only names real routes).
#include "app/routes.hpp"
#include "kv/memory_store.hpp"
#include "store/db/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <set>
#include <sstream>

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

std::set<std::string> routed_operations() {
  auto loaded = config::load({}, "test");
  api::HealthState health;
  api::DocsAssets docs;
  store::SqliteDatabase db(":memory:");
  kv::MemoryStore kv;
  store::UserRepository users(db);
  auth::TokenService tokens(kv, std::string(40, 'a'), std::string(40, 'b'), std::chrono::hours(1), std::chrono::hours(2));
  security::RateLimiter limiter(kv);
  BlockingPool blocking(1);
  auth::AccountService accounts(users, tokens, limiter, blocking, {});
  const api::Authenticator authenticator(tokens, users);
  store::LedgerRepository ledger(db);
  store::PaymentRepository payments(db);
  store::IdempotencyStore idempotency(db);
  payments::PaystackClient paystack({});
  payments::PaymentService payment_service(db, payments, users, paystack, {});
  sportsbook::Catalog catalog(db);
  sportsbook::CatalogCache cache(kv, std::chrono::seconds(1));
  sportsbook::Settlement settlement(db);
  sportsbook::Bets bets(db, {});
  app::Services services{loaded.config, health,   docs,     db,       users,   ledger,   tokens,
                         accounts,      authenticator, payment_service, payments, idempotency, paystack, catalog, cache,
                         settlement,    bets};
  http::Router router;
  app::register_routes(router, services);
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
