#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "casino/game_provider.hpp"
#include "net/http_client.hpp"

// Fundist's outbound API (operator → Fundist): the game list (Game/FullList) and the game launch
// (User/AuthHTML). Its wire format is here and nowhere else; casino/README.md's table says what is verified
// from public sources and what is assumed. The callbacks are casino/fundist.hpp.
namespace b2w::casino::fundist {

struct ApiOptions {
  std::string base_url;                // FUNDIST_BASE_URL, e.g. https://apitest.fundist.org
  std::string api_key;                 // FUNDIST_API_KEY: a path segment of every call
  std::string api_password;            // FUNDIST_API_PASSWORD: only ever inside a hash, never sent
  std::string player_secret;           // FUNDIST_PLAYER_SECRET: derives each player's Fundist password
  std::vector<std::string> merchants;  // FUNDIST_SYSTEM_ID: the merchants offered; empty: all
  std::chrono::milliseconds timeout{10000};
};

// The request hashes, lowercase hex MD5. `ip` is "0.0.0.0" as the vendor's own client sends it (the
// server's address is whitelisted at Fundist instead).
std::string full_list_hash(std::string_view tid, std::string_view key, std::string_view password);
std::string auth_html_hash(std::string_view tid, std::string_view key, std::string_view login,
                           std::string_view player_password, std::string_view system, std::string_view password);
// Fundist signs every API reply: the Response-Hash header is md5(TID + API password + body).
bool response_hash_valid(std::string_view tid, std::string_view password, std::string_view body,
                         std::string_view header);
// A player's Fundist password: derived, so nothing is stored; 32 hex characters (never contains the login).
std::string player_password(std::string_view player_secret, std::string_view login);

// Game/FullList's JSON as games (ids "fundist:<ID>"), in the order listed; games of merchants not in
// `merchants` (when it is not empty) left out. Throws std::runtime_error on a body of another shape.
std::vector<CasinoGame> read_full_list(std::string_view body, const std::vector<std::string>& merchants);

// The CSV envelope of User/AuthHTML and other calls: "1,<payload>" or "<code>,<message>".
struct ApiRefusal {
  int code = 0;
  std::string message;
};
std::variant<std::string, ApiRefusal> read_envelope(std::string_view body);

class FundistApi : public GameProvider {
 public:
  explicit FundistApi(ApiOptions options) : options_(std::move(options)) {}

  Awaitable<std::vector<CasinoGame>> games() override;
  Awaitable<std::string> launch(const CasinoGame& game, const LaunchRequest& request) override;

 private:
  // One GET of `method` with `query` (without TID and Hash); the reply's Response-Hash checked.
  Awaitable<std::string> call(std::string method, std::string query, std::string tid, std::string hash);

  ApiOptions options_;
  net::HttpClient http_;
};

}  // namespace b2w::casino::fundist
