#include "casino/fundist.hpp"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "casino/fundist_signature.hpp"
#include "domain/decimal_amount.hpp"

namespace b2w::casino::fundist {
namespace {

constexpr std::string_view kUserPrefix = "usr_";
constexpr std::size_t kMaxTid = 32;     // "alphanumeric, max 32 chars"
constexpr std::size_t kMaxField = 128;  // round, action and game descriptions: generous, bounded

constexpr std::array<std::pair<std::string_view, CallType>, 5> kTypes{{
    {"ping", CallType::ping},
    {"balance", CallType::balance},
    {"debit", CallType::debit},
    {"credit", CallType::credit},
    {"roundinfo", CallType::round_info},
}};

std::string_view error_text(WalletRefusal refusal) {
  switch (refusal) {
    case WalletRefusal::unknown_user:
      return "User not found";
    case WalletRefusal::currency_mismatch:
      return "Currency mismatch";
    case WalletRefusal::insufficient_funds:
      return "INSUFFICIENT_FUNDS";
    case WalletRefusal::parameter_mismatch:
      return "Transaction parameter mismatch";
    case WalletRefusal::account_locked:
    case WalletRefusal::self_excluded:
    case WalletRefusal::not_of_age_yet:
      return "User is blocked";
    case WalletRefusal::limit_exceeded:
      return "Player limit exceeded";
    case WalletRefusal::already_rolled_back:
      return "Transaction rolled back";
    case WalletRefusal::invalid_rollback:
      return "Invalid rollback";
    case WalletRefusal::amount_too_large:
      return "Amount exceeds the limit";
  }
  return "Internal error";
}

// A text field: strings as sent, integers as digits (some integrations send ids as numbers); absent is "".
std::optional<std::string> text_field(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return std::string();
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return std::nullopt;
}

bool plain_id(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) return false;
  return true;
}

Rejected invalid(const std::string& field) {
  return Rejected{.error = "Invalid request: " + field, .reason = "malformed field " + field};
}

std::string signed_body(boost::json::object fields, std::string_view secret) {
  fields["hmac"] = sign(fields, secret);
  return boost::json::serialize(fields);
}

}  // namespace

std::string login_of(std::string_view user_id) {
  return std::string(user_id.substr(0, kUserPrefix.size()) == kUserPrefix ? user_id.substr(kUserPrefix.size())
                                                                          : user_id);
}

std::string user_of(std::string_view login) {
  return std::string(kUserPrefix) + std::string(login);
}

std::variant<WalletCall, Rejected> read_callback(std::string_view body, std::string_view secret) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return Rejected{.error = "Invalid request", .reason = "not a JSON object"};
  const auto& o = parsed.get_object();
  if (!signature_valid(o, secret)) return Rejected{.error = "Invalid HMAC", .reason = "bad or missing hmac"};

  const auto type_name = text_field(o, "type");
  const auto* type =
      type_name ? std::find_if(kTypes.begin(), kTypes.end(), [&](const auto& t) { return t.first == *type_name; })
                : kTypes.end();
  if (type == kTypes.end())
    return Rejected{.error = "Unknown request type", .reason = "unknown type " + type_name.value_or("(not text)")};
  WalletCall call;
  call.type = type->second;
  if (call.type == CallType::ping) return call;

  const auto login = text_field(o, "userid");
  if (!login || !plain_id(*login, 29)) return invalid("userid");
  call.user_id = user_of(*login);
  if (call.type == CallType::round_info) return call;  // informational: acknowledged, nothing moves

  const auto currency = text_field(o, "currency");
  if (!currency || currency->empty()) return invalid("currency");
  call.currency = *currency;
  if (call.type == CallType::balance) return call;

  const auto tid = text_field(o, "tid");
  if (!tid || !plain_id(*tid, kMaxTid)) return invalid("tid");
  call.tid = *tid;
  // Amounts are decimal text with at most 2 places ("150.50"); numbers, signs and a third decimal are refused.
  const auto* amount = o.if_contains("amount");
  const auto kobo = amount && amount->is_string() ? domain::parse_decimal_naira(amount->get_string()) : std::nullopt;
  if (!kobo) return invalid("amount");
  call.amount = *kobo;
  const std::pair<std::string_view, std::string*> optional_fields[] = {{"subtype", &call.subtype},
                                                                       {"i_gameid", &call.round_id},
                                                                       {"i_actionid", &call.action_id},
                                                                       {"i_gamedesc", &call.game},
                                                                       {"i_rollback", &call.rollback_of}};
  for (const auto& [name, target] : optional_fields) {
    const auto value = text_field(o, name);
    if (!value || value->size() > kMaxField) return invalid(std::string(name));
    *target = *value;
  }
  if (!call.rollback_of.empty() && (!plain_id(call.rollback_of, kMaxTid) || call.rollback_of == call.tid))
    return invalid("i_rollback");
  if (call.subtype.empty()) call.subtype = std::string(type->first);
  return call;
}

std::string render_reply(const WalletCall& call, const WalletReply& reply, std::string_view secret) {
  boost::json::object fields;
  if (reply.refusal)
    fields["error"] = error_text(*reply.refusal);
  else
    fields["status"] = "OK";
  if (reply.balance && call.type != CallType::ping && call.type != CallType::round_info)
    fields["balance"] = domain::format_decimal_naira(*reply.balance);
  if (!reply.refusal && (call.type == CallType::debit || call.type == CallType::credit)) fields["tid"] = call.tid;
  return signed_body(std::move(fields), secret);
}

std::string render_rejection(const Rejected& rejected, std::string_view secret) {
  return signed_body(boost::json::object{{"error", rejected.error}}, secret);
}

}  // namespace b2w::casino::fundist
