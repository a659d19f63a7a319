// PaystackClient's bank list and account resolution (payout accounts, issue 21). Wire formats: src/payments/README.md.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <set>

#include "observability/scrub.hpp"
#include "payments/paystack.hpp"

namespace b2w::payments {

namespace {

bool digits(std::string_view s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Query-string encoding of a value (RFC 3986 unreserved characters kept): Paystack's cursors are base64.
std::string query_value(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : value) {
    const auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

// The answer as a JSON object whose "status" is true, or a ProviderError naming `what` (never the path: a
// resolve's path holds an account number). Paystack's message is kept, without any number in it.
const boost::json::object& succeeded(const boost::json::value& json, bool parsed, int http_status,
                                     std::string_view what) {
  const auto* obj = parsed && json.is_object() ? &json.as_object() : nullptr;
  const auto* ok = obj ? obj->if_contains("status") : nullptr;
  if (http_status >= 200 && http_status < 300 && ok && ok->is_bool() && ok->as_bool()) return *obj;
  std::string message = "Paystack refused " + std::string(what) + " (HTTP " + std::to_string(http_status) + ")";
  if (const auto* m = obj ? obj->if_contains("message") : nullptr; m && m->is_string())
    message += ": " + scrub::without_long_numbers(std::string(m->as_string()).substr(0, 200));
  throw ProviderError(message, false);
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

BankPage parse_bank_page(int http_status, std::string_view body) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(body, ec);
  const auto& obj = succeeded(json, !ec, http_status, "GET /bank");
  const auto* data = obj.if_contains("data");
  if (!data || !data->is_array()) throw ProviderError("Paystack answered GET /bank without a data array", false);
  BankPage page;
  for (const auto& item : data->as_array()) {
    if (!item.is_object()) continue;
    const auto& bank = item.as_object();
    const auto* active = bank.if_contains("active");
    const auto* deleted = bank.if_contains("is_deleted");
    const auto type = text_of(bank, "type");
    const auto currency = text_of(bank, "currency");
    const auto code = text_of(bank, "code");
    const auto name = text_of(bank, "name");
    const bool usable = active && active->is_bool() && active->as_bool() &&
                        !(deleted && deleted->is_bool() && deleted->as_bool()) && (type.empty() || type == "nuban") &&
                        (currency.empty() || currency == "NGN") && digits(code, 3, 6) && !name.empty();
    if (usable) page.banks.push_back(Bank{code, name});
  }
  if (const auto* meta = obj.if_contains("meta"); meta && meta->is_object())
    if (const auto* next = meta->as_object().if_contains("next");
        next && next->is_string() && !next->as_string().empty())
      page.next = std::string(next->as_string());
  return page;
}

std::optional<ResolvedAccount> parse_account_resolution(int http_status, std::string_view body) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(body, ec);
  const auto* obj = !ec && json.is_object() ? &json.as_object() : nullptr;
  const auto* ok = obj ? obj->if_contains("status") : nullptr;
  // Paystack answers 422 "Could not resolve account name. Check parameters or try again." for an account the bank
  // does not know (400 assumed alike for a bank code it does not take).
  if ((http_status == 400 || http_status == 422) && ok && ok->is_bool() && !ok->as_bool()) return std::nullopt;
  const auto& answer = succeeded(json, !ec, http_status, "GET /bank/resolve");
  const auto* data = answer.if_contains("data");
  const auto* fields = data && data->is_object() ? &data->as_object() : nullptr;
  ResolvedAccount resolved;
  if (fields) {
    resolved.account_number = text_of(*fields, "account_number");
    resolved.account_name = text_of(*fields, "account_name");
  }
  if (resolved.account_name.empty())
    throw ProviderError("Paystack answered GET /bank/resolve without data.account_name", false);
  return resolved;
}

boost::asio::awaitable<std::vector<Bank>> PaystackClient::list_banks() {
  std::vector<Bank> banks;
  std::set<std::string> codes;
  std::optional<std::string> cursor;
  for (int page = 0; page < kMaxBankPages; ++page) {
    std::string path = "/bank?country=nigeria&currency=NGN&type=nuban&use_cursor=true&perPage=100";
    if (cursor) path += "&next=" + query_value(*cursor);
    auto reply = co_await get_reply(std::move(path), "GET /bank", options_.retries);
    auto parsed = parse_bank_page(reply.status, reply.body);
    for (auto& bank : parsed.banks)
      if (codes.insert(bank.code).second) banks.push_back(std::move(bank));  // a code listed twice: the first
    if (!parsed.next) {
      std::sort(banks.begin(), banks.end(), [](const Bank& a, const Bank& b) { return a.name < b.name; });
      co_return banks;
    }
    if (parsed.next == cursor) throw ProviderError("Paystack's GET /bank gave the same cursor twice", false);
    cursor = std::move(parsed.next);
  }
  throw ProviderError("Paystack's GET /bank has more than " + std::to_string(kMaxBankPages) + " pages", false);
}

boost::asio::awaitable<std::optional<ResolvedAccount>> PaystackClient::resolve_account(std::string account_number,
                                                                                       std::string bank_code) {
  std::string path =
      "/bank/resolve?account_number=" + query_value(account_number) + "&bank_code=" + query_value(bank_code);
  auto reply = co_await get_reply(std::move(path), "GET /bank/resolve", options_.retries);
  co_return parse_account_resolution(reply.status, reply.body);
}

}  // namespace b2w::payments
