// JSON request bodies through the real routes: the route table (app::register_routes), the request
// pipeline (errors, the rate-limit guard) and the services on an embedded SQLite database in a
// temporary directory and the in-process key-value store, built once per process by app::Components,
// as app::serve() builds them. Each input is one request to a POST/PATCH route that takes a body,
// with a valid user's or superadmin's bearer token; the Paystack webhook gets a correct
// x-paystack-signature (HMAC-SHA512 of the body, computed here with OpenSSL, not by the code under test).
//
// Input: one letter choosing the route (kRoutes), one choosing the caller ('u' user, 'a' admin,
// 'n' nobody, 'U' user reusing one Idempotency-Key), then the body. In the body, $E, $M, $S0 and
// $S1 stand for a real event, market and its two selections, so bodies can reach past the ids.
//
// Property: no answer is a 5xx other than 503 (a store that cannot answer) and 502
// payment_provider_error (Paystack is unreachable here, at a closed loopback port, by design).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "app/components.hpp"
#include "casino/fundist.hpp"
#include "casino/fundist_signature.hpp"
#include "http/pipeline.hpp"
#include "kv/factory.hpp"
#include "observability/log.hpp"
#include "security/password.hpp"
#include "store/db/factory.hpp"
#include "store/db/migrations.hpp"

namespace {

namespace asio = boost::asio;
using namespace b2w;
using http::Verb;

constexpr const char* kPaystackKey = "sk_test_fuzz_0123456789abcdef0123456789abcdef";
constexpr const char* kFundistSecret = "fuzz-fundist-hmac-secret";

struct RouteSpec {
  Verb verb;
  const char* path;  // under ROOT_ENTRY; $E and $M as in bodies
  bool idempotent;   // sends an Idempotency-Key
};

// Every route that reads a body (and the two admin withdrawal decisions, which must ignore one).
constexpr RouteSpec kRoutes[] = {
    {Verb::post, "/auth/register", false},
    {Verb::post, "/auth/login", false},
    {Verb::post, "/auth/refresh", false},
    {Verb::post, "/auth/logout", false},
    {Verb::post, "/wallet/deposits", true},
    {Verb::post, "/wallet/withdrawals", true},
    {Verb::post, "/payments/paystack/webhook", false},
    {Verb::post, "/admin/events", false},
    {Verb::patch, "/admin/events/$E", false},
    {Verb::post, "/admin/events/$E/markets", false},
    {Verb::patch, "/admin/markets/$M", false},
    {Verb::post, "/admin/markets/$M/settle", false},
    {Verb::post, "/bets", true},
    {Verb::post, "/admin/withdrawals/wd_none/approve", false},
    {Verb::post, "/admin/withdrawals/wd_none/reject", false},
    {Verb::post, "/casino/fundist/callback", false},  // a JSON object body is signed; $L: the user's login
    {Verb::post, "/auth/otp/send", false},
    {Verb::post, "/auth/otp/verify", false},
    {Verb::patch, "/users/me", false},
    {Verb::post, "/wallet/payout-accounts", false},  // Paystack unreachable here: 503, nothing stored
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "property violated: %s\n", what.c_str());
  std::abort();
}

void replace_all(std::string& s, std::string_view from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string hex_hmac_sha512(std::string_view key, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha512(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

// The service, built once per process (a fuzz run makes hundreds of thousands of requests).
class App {
 public:
  App()
      : dir_(make_dir()),
        loaded_(config::load({{"DATA_DIR", dir_},
                              {"PAYSTACK_SECRET_KEY", kPaystackKey},
                              {"PAYSTACK_BASE_URL", "http://127.0.0.1:9"},  // closed: a fast connection refusal
                              {"PAYSTACK_TIMEOUT", "1s"},
                              {"FUNDIST_HMAC_SECRET", kFundistSecret},
                              // argon2 costs tens of milliseconds by design: past a few logins and
                              // registrations from the fuzzer's one IP, they are refused (429) after
                              // their bodies are parsed and validated, before any hashing.
                              {"LOGIN_MAX_ATTEMPTS_PER_IP", "3"},
                              {"REGISTER_MAX_PER_IP", "3"},
                              {"LOG_LEVEL", "error"}},
                             "fuzz")),
        config_(checked(loaded_)),
        db_(store::make_database(config_)),
        kv_(kv::make_store(config_)),
        // Production's wiring (app::Components), but the guard never limits (a fuzz run is one client sending
        // a lot) and a closed Paystack port is not retried.
        components_(config_, *db_, *kv_, health_, docs_,
                    app::ComponentOptions{.paystack_retries = 0, .rate_limit_points = INT_MAX}),
        pipeline_(app::make_pipeline(router_, config_, components_)) {
    log::configure(log::Level::error, config_.secret_values());
    run(store::migrate(*db_));
    app::register_routes(router_, components_.services());
    // Real password hashes: a fuzzed login for these emails verifies against them.
    const auto hash = security::PasswordHasher::hash("fuzz password 1");
    // An adult (an account without a date of birth may not deposit or bet: the fuzzer would never reach them).
    auto user = run(components_.services().users.create(
        "fuzz-user@example.com", hash, std::nullopt, std::nullopt, "user",
        [](store::Tx& tx, const store::UserRecord& created) -> store::Awaitable<void> {
          co_await store::UserRepository::set_date_of_birth(tx, created.id, "1990-06-15");
        }));
    auto admin = run(
        components_.services().users.create("fuzz-admin@example.com", hash, std::nullopt, std::nullopt, "superadmin"));
    user_token_ = run(components_.services().tokens.issue(user.id, user.role, user.token_version)).access_token;
    user_login_ = casino::fundist::login_of(user.id);
    admin_token_ = run(components_.services().tokens.issue(admin.id, admin.role, admin.token_version)).access_token;
    new_market();
  }
  ~App() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A fresh event and market now and then: fuzzed bodies settle, suspend and finish them.
  void new_market() {
    const auto event = request(Verb::post, "/admin/events", 'a',
                               R"({"sport":"football","home":"Fuzz FC","away":"Corpus United",)"
                               R"("starts_at":"2031-01-01T18:00:00Z"})",
                               false);
    if (event.result() != http::Status::created) fail("set-up: event not created: " + event.body());
    event_id_ = std::string(boost::json::parse(event.body()).as_object().at("id").as_string());
    const auto market = request(Verb::post, "/admin/events/$E/markets", 'a',
                                R"({"name":"Winner","selections":[{"name":"Home","odds":"1.85"},)"
                                R"({"name":"Away","odds":"2.10"}]})",
                                false);
    if (market.result() != http::Status::created) fail("set-up: market not created: " + market.body());
    const auto m = boost::json::parse(market.body()).as_object();
    market_id_ = std::string(m.at("id").as_string());
    const auto& selections = m.at("selections").as_array();
    selection_ids_[0] = std::string(selections.at(0).as_object().at("id").as_string());
    selection_ids_[1] = std::string(selections.at(1).as_object().at("id").as_string());
  }

  http::Response request(Verb verb, std::string path, char caller, std::string body, bool idempotent) {
    substitute(path);
    substitute(body);
    http::Request req{verb, config_.root_entry + path, 11};
    req.set(http::Field::host, "fuzz");
    req.set(http::Field::content_type, "application/json");
    if (caller == 'u' || caller == 'U') req.set(http::Field::authorization, "Bearer " + user_token_);
    if (caller == 'a') req.set(http::Field::authorization, "Bearer " + admin_token_);
    if (idempotent)
      req.set("Idempotency-Key", caller == 'U' ? std::string("fuzz-fixed-key") : "fuzz-" + std::to_string(++keys_));
    if (path.ends_with("/paystack/webhook")) req.set("x-paystack-signature", hex_hmac_sha512(kPaystackKey, body));
    if (path.ends_with("/fundist/callback")) {
      boost::system::error_code ec;
      auto fields = boost::json::parse(body, ec);
      if (!ec && fields.is_object()) {
        fields.get_object()["hmac"] = casino::fundist::sign(fields.get_object(), kFundistSecret);
        body = boost::json::serialize(fields);
      }
    }
    req.body() = std::move(body);
    req.prepare_payload();
    return run(pipeline_.handle(req, "127.0.0.1")).response;
  }

 private:
  // In memory when /dev/shm exists: SQLite runs with synchronous=FULL, and an fsync per write would
  // make the fuzzer measure the disk.
  static std::string make_dir() {
    std::error_code ec;
    const auto base = std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                                    : std::filesystem::temp_directory_path();
    std::string dir = (base / "b2w-fuzz-XXXXXX").string();
    if (!::mkdtemp(dir.data())) fail("mkdtemp");
    return dir;
  }
  static const config::Config& checked(const config::LoadResult& r) {
    if (!r.errors.empty()) fail("configuration: " + r.errors.front());
    return r.config;
  }

  void substitute(std::string& s) const {
    if (s.find('$') == std::string::npos) return;
    replace_all(s, "$E", event_id_);
    replace_all(s, "$M", market_id_);
    replace_all(s, "$S0", selection_ids_[0]);
    replace_all(s, "$S1", selection_ids_[1]);
    replace_all(s, "$L", user_login_);
  }

  // Runs a coroutine to its end on this thread's io_context (the SQLite thread posts completions to it).
  template <typename T>
  T run(asio::awaitable<T> op) {
    auto result = asio::co_spawn(ctx_, std::move(op), asio::use_future);
    while (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      if (ctx_.stopped()) ctx_.restart();
      ctx_.run_one_for(std::chrono::milliseconds(100));
    }
    return result.get();
  }

  std::string dir_;
  config::LoadResult loaded_;
  const config::Config& config_;
  asio::io_context ctx_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<kv::KeyValueStore> kv_;
  api::HealthState health_;
  api::DocsAssets docs_;
  app::Components components_;
  http::Router router_;
  http::Pipeline pipeline_;
  std::string user_token_, admin_token_, user_login_;
  std::string event_id_, market_id_, selection_ids_[2];
  std::uint64_t keys_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static App app;
  static std::uint64_t execs = 0;
  if (size < 2) return -1;  // not a request: keep it out of the corpus
  if (++execs % 500 == 0) app.new_market();
  const auto& route = kRoutes[static_cast<unsigned>(static_cast<unsigned char>(data[0]) - 'a') % std::size(kRoutes)];
  const char caller = static_cast<char>(data[1]);
  std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto res = app.request(route.verb, route.path, caller, body, route.idempotent);
  const auto status = res.result_int();
  const bool provider_down = status == 502 && res.body().find("\"payment_provider_error\"") != std::string::npos;
  if (status >= 500 && status != 503 && !provider_down)
    fail(std::to_string(status) + " from " + std::string(http::beast_http::to_string(route.verb)) + " " + route.path +
         ": " + res.body());
  return 0;
}
