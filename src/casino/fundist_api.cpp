#include "casino/fundist_api.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include "casino/fundist.hpp"
#include "domain/error.hpp"
#include "observability/log.hpp"
#include "util/digest.hpp"
#include "util/ids.hpp"

namespace b2w::casino::fundist {

namespace json = boost::json;
using domain::Error;
using domain::ErrorKind;

namespace {

constexpr std::string_view kAnyIp = "0.0.0.0";

std::string md5_hex(const std::string& text) {
  return to_hex(md5(text));
}

std::string joined(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const auto part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

// Fundist sends ids and flags as text or as numbers, by field and by version: both read as text.
std::string text_of(const json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  if (v->is_bool()) return v->get_bool() ? "1" : "0";
  return {};
}

// A name is a map of languages ({"en": "Sweet Bonanza"}) or plain text.
std::string name_of(const json::value* v) {
  if (!v) return {};
  if (v->is_object()) {
    const auto& names = v->get_object();
    if (const auto* en = names.if_contains("en"); en && en->is_string()) return std::string(en->get_string());
    for (const auto& [language, name] : names)
      if (name.is_string()) return std::string(name.get_string());
    return {};
  }
  return text_of(v);
}

bool truthy(const json::value* v) {
  const auto text = text_of(v);
  return !text.empty() && text != "0" && text != "false";
}

std::string encoded(std::string_view value) {
  return boost::urls::encode(value, boost::urls::unreserved_chars);
}

// A request id as Fundist takes it: unique per call, at most 32 characters of [0-9a-z].
std::string new_tid() {
  return random_hex(16);
}

}  // namespace

std::string full_list_hash(std::string_view tid, std::string_view key, std::string_view password) {
  return md5_hex(joined({"Game/FullList", kAnyIp, tid, key, password}));
}

std::string auth_html_hash(std::string_view tid, std::string_view key, std::string_view login,
                           std::string_view player_password, std::string_view system, std::string_view password) {
  return md5_hex(joined({"User/AuthHTML", kAnyIp, tid, key, login, player_password, system, password}));
}

bool response_hash_valid(std::string_view tid, std::string_view password, std::string_view body,
                         std::string_view header) {
  std::string expected = md5_hex(std::string(tid) + std::string(password) + std::string(body));
  if (header.size() != expected.size()) return false;
  std::string given(header);
  std::transform(given.begin(), given.end(), given.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

std::string player_password(std::string_view player_secret, std::string_view login) {
  return to_hex(hmac_sha256(player_secret, "fundist-player-password:" + std::string(login))).substr(0, 32);
}

std::vector<CasinoGame> read_full_list(std::string_view body, const std::vector<std::string>& merchants) {
  boost::system::error_code ec;
  const auto doc = json::parse(body, ec);
  if (ec || !doc.is_object()) throw std::runtime_error("Game/FullList: not a JSON object");
  const auto* games = doc.get_object().if_contains("games");
  if (!games || !games->is_array()) throw std::runtime_error("Game/FullList: no games array");

  std::unordered_map<std::string, std::string> categories;  // ID -> name
  if (const auto* list = doc.get_object().if_contains("categories"); list && list->is_array())
    for (const auto& c : list->get_array())
      if (c.is_object())
        categories[text_of(c.get_object().if_contains("ID"))] = name_of(c.get_object().if_contains("Name"));
  std::unordered_map<std::string, std::string> studios;  // merchant ID -> name
  if (const auto* list = doc.get_object().if_contains("merchants"); list && list->is_object())
    for (const auto& [id, m] : list->get_object())
      if (m.is_object()) studios[std::string(id)] = name_of(m.get_object().if_contains("Name"));

  std::vector<CasinoGame> out;
  out.reserve(games->get_array().size());
  std::int64_t position = 0;
  for (const auto& entry : games->get_array()) {
    ++position;
    if (!entry.is_object()) continue;
    const auto& g = entry.get_object();
    CasinoGame game;
    const auto id = text_of(g.if_contains("ID"));
    game.provider_id = text_of(g.if_contains("MerchantID"));
    game.launch_code = text_of(g.if_contains("PageCode"));
    game.name = name_of(g.if_contains("Name"));
    // Without these a game can be neither shown nor launched.
    if (id.empty() || game.provider_id.empty() || game.launch_code.empty() || game.name.empty()) continue;
    if (!merchants.empty() && std::find(merchants.begin(), merchants.end(), game.provider_id) == merchants.end())
      continue;
    game.id = std::string(kAggregator) + ":" + id;
    game.mobile_launch_code = text_of(g.if_contains("MobilePageCode"));
    game.mobile = !game.mobile_launch_code.empty();
    game.has_demo = truthy(g.if_contains("hasDemo"));
    game.position = position;
    const auto studio = studios.find(game.provider_id);
    game.provider = studio != studios.end() && !studio->second.empty() ? studio->second : game.provider_id;
    if (const auto* ids = g.if_contains("CategoryID"); ids && ids->is_array() && !ids->get_array().empty()) {
      const auto category = categories.find(text_of(&ids->get_array().front()));
      if (category != categories.end()) game.category = category->second;
    }
    const auto image = text_of(g.if_contains("ImageFullPath"));
    if (image.starts_with("https://") || image.starts_with("http://")) game.thumbnail = image;
    out.push_back(std::move(game));
  }
  return out;
}

std::variant<std::string, ApiRefusal> read_envelope(std::string_view body) {
  const auto comma = body.find(',');
  const auto head = body.substr(0, comma);
  int code = 0;
  const auto [end, ec] = std::from_chars(head.data(), head.data() + head.size(), code);
  if (ec != std::errc() || end != head.data() + head.size())
    return ApiRefusal{.code = 0, .message = "unreadable reply"};
  const auto rest = comma == std::string_view::npos ? std::string_view() : body.substr(comma + 1);
  if (code == 1) return std::string(rest);
  return ApiRefusal{.code = code, .message = std::string(rest.substr(0, 200))};
}

Awaitable<std::string> FundistApi::call(std::string method, std::string query, std::string tid, std::string hash) {
  net::OutboundRequest request;
  request.target =
      "/System/Api/" + encoded(options_.api_key) + "/" + method + "/?" + query + "&TID=" + tid + "&Hash=" + hash;
  net::OutboundReply reply;
  try {
    reply = co_await http_.send(options_.base_url, std::move(request), options_.timeout);
  } catch (const net::NotSent& e) {
    log::warn("Fundist unreachable").str("method", method).str("error", e.what());
    throw Error(ErrorKind::unavailable, "casino_unavailable", "The casino is unavailable; try again shortly");
  } catch (const net::NoAnswer& e) {
    log::warn("no answer from Fundist").str("method", method).str("error", e.what());
    throw Error(ErrorKind::unavailable, "casino_unavailable", "The casino is unavailable; try again shortly");
  }
  if (!response_hash_valid(tid, options_.api_password, reply.body, reply.header("Response-Hash"))) {
    log::warn("Fundist reply without a valid Response-Hash").str("method", method).num("status", reply.status);
    throw Error(ErrorKind::upstream_failed, "casino_provider_error", "The casino provider answered wrongly");
  }
  co_return std::move(reply.body);
}

Awaitable<std::vector<CasinoGame>> FundistApi::games() {
  const auto tid = new_tid();
  const auto hash = full_list_hash(tid, options_.api_key, options_.api_password);
  const auto body = co_await call("Game/FullList", "", tid, hash);
  try {
    co_return read_full_list(body, options_.merchants);
  } catch (const std::runtime_error& e) {
    log::warn("Fundist game list unreadable").str("error", e.what());
  }
  throw Error(ErrorKind::upstream_failed, "casino_provider_error", "The casino provider answered wrongly");
}

Awaitable<std::string> FundistApi::launch(const CasinoGame& game, const LaunchRequest& launch) {
  const auto login = launch.demo ? std::string("$DemoUser$") : login_of(launch.user_id);
  const auto password = launch.demo ? std::string("Demo") : player_password(options_.player_secret, login);
  const auto& page = launch.mobile && !game.mobile_launch_code.empty() ? game.mobile_launch_code : game.launch_code;
  const auto tid = new_tid();
  const auto hash = auth_html_hash(tid, options_.api_key, login, password, game.provider_id, options_.api_password);
  std::string query = "&Login=" + encoded(login) + "&Password=" + encoded(password) +
                      "&System=" + encoded(game.provider_id) + "&Page=" + encoded(page) +
                      "&UserIP=" + encoded(launch.player_ip) + "&Currency=" + encoded(launch.currency) +
                      "&Language=" + encoded(launch.language) + "&UserAutoCreate=1" +
                      "&ExtParam=" + encoded(launch.session_id) + "&IsMobile=" + (launch.mobile ? "1" : "0");
  if (launch.demo) query += "&Demo=1";
  const auto body = co_await call("User/AuthHTML", std::move(query), tid, hash);
  auto envelope = read_envelope(body);
  if (auto* html = std::get_if<std::string>(&envelope)) co_return std::move(*html);
  const auto refusal = std::get<ApiRefusal>(envelope);
  log::warn("Fundist refused a game launch")
      .num("code", refusal.code)
      .str("message", refusal.message)
      .str("game", game.id);
  switch (refusal.code) {
    case 24:  // Redirect error: a country, currency or demo the game does not take
      throw Error(ErrorKind::forbidden, "game_restricted", "This game cannot be played here: " + refusal.message);
    case 33:  // maintenance
      throw Error(ErrorKind::unavailable, "casino_unavailable", "The casino is unavailable; try again shortly");
    default:
      throw Error(ErrorKind::upstream_failed, "casino_provider_error", "The casino provider refused the launch");
  }
}

}  // namespace b2w::casino::fundist
