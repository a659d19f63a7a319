#include "api/payout_accounts.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/json_input.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

namespace {

bool all_digits(const std::string& s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Only the last four digits ever leave the service.
std::string masked(const std::string& account_number) {
  if (account_number.size() < 4) return "****";
  return std::string(account_number.size() - 4, '*') + account_number.substr(account_number.size() - 4);
}

boost::json::object account_json(const store::PayoutAccount& a) {
  return {{"id", a.id},
          {"bank_code", a.bank_code},
          {"bank_name", a.bank_name ? boost::json::value(*a.bank_name) : boost::json::value(nullptr)},
          {"account_number", masked(a.account_number)},
          {"account_name", a.account_name},
          {"name_matches", a.name_matches},
          {"created_at", rfc3339(a.created_at)}};
}

}  // namespace

bool is_bank_code(const std::string& code) {
  return all_digits(code, 3, 6);
}

bool is_nuban(const std::string& account_number) {
  return all_digits(account_number, 10, 10);
}

RouteHandler list_banks(payments::PayoutAccounts& accounts) {
  return [&accounts](Call) -> Awaitable<Response> {
    const auto banks = co_await accounts.banks();
    boost::json::array items;
    items.reserve(banks->size());
    for (const auto& bank : *banks) items.push_back(boost::json::object{{"code", bank.code}, {"name", bank.name}});
    co_return http::json_response(Status::ok, boost::json::object{{"banks", std::move(items)}});
  };
}

RouteHandler list_payout_accounts(payments::PayoutAccounts& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    const auto rows = co_await accounts.list(call.user.sub);
    boost::json::array items;
    for (const auto& a : rows) items.push_back(account_json(a));
    co_return http::json_response(Status::ok, boost::json::object{{"data", std::move(items)}});
  };
}

RouteHandler save_payout_account(payments::PayoutAccounts& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    const auto body = call.body();
    Validation v;
    auto bank = v.string(body, "bank_code", true);
    auto number = v.string(body, "account_number", true);
    if (bank && !is_bank_code(*bank)) v.fail("bank_code", "must be Paystack's bank code (3 to 6 digits)");
    if (number && !is_nuban(*number)) v.fail("account_number", "must be a 10-digit NUBAN account number");
    v.check();
    auto saved = co_await accounts.save(call.user.sub, *bank, *number);
    co_return http::json_response(saved.created ? Status::created : Status::ok, account_json(saved.account));
  };
}

RouteHandler remove_payout_account(payments::PayoutAccounts& accounts) {
  return [&accounts](Call call) -> Awaitable<Response> {
    const auto id = call.param("id");
    co_await accounts.remove(call.user.sub, id);
    co_return http::json_response(Status::ok, boost::json::object{{"id", id}, {"deleted", true}});
  };
}

}  // namespace b2w::api
