#include "payments/paystack.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "observability/scrub.hpp"
#include "util/digest.hpp"

namespace b2w::payments {

std::string PaystackClient::sign(std::string_view secret, std::string_view raw_body) {
  return to_hex(hmac_sha512(secret, raw_body));
}

bool PaystackClient::signature_valid(std::string_view raw_body, std::string_view signature_hex) const {
  if (signature_hex.size() != 128 || options_.secret_key.empty()) return false;
  std::string given(signature_hex);
  for (auto& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto expected = sign(options_.secret_key, raw_body);
  return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

boost::asio::awaitable<std::string> PaystackClient::call(const std::string& path, const std::string& body,
                                                         const char* field) {
  const net::OutboundRequest request{"POST",
                                     path,
                                     body,
                                     {{"Authorization", "Bearer " + options_.secret_key},
                                      {"Content-Type", "application/json"},
                                      {"Accept", "application/json"}}};
  net::OutboundReply reply;
  for (int attempt = 0;; ++attempt) {
    try {
      reply = co_await http_.send(options_.base_url, request, options_.timeout);
      break;
    } catch (const net::NotSent& e) {
      if (attempt >= options_.retries) throw ProviderError(std::string("Paystack unreachable: ") + e.what(), false);
    } catch (const net::NoAnswer& e) {
      throw ProviderError(std::string("no answer from Paystack: ") + e.what(), true);
    }
    boost::asio::steady_timer backoff(co_await boost::asio::this_coro::executor,
                                      std::chrono::milliseconds(100 * (attempt + 1)));
    co_await backoff.async_wait(boost::asio::use_awaitable);
  }
  boost::system::error_code ec;
  auto json = boost::json::parse(reply.body, ec);
  const auto* obj = (!ec && json.is_object()) ? &json.as_object() : nullptr;
  const bool ok = reply.status >= 200 && reply.status < 300 && obj && obj->contains("status") &&
                  obj->at("status").is_bool() && obj->at("status").as_bool();
  if (!ok) {
    std::string message = "Paystack refused " + path + " (HTTP " + std::to_string(reply.status) + ")";
    if (obj && obj->contains("message") && obj->at("message").is_string())
      message += ": " + scrub::without_long_numbers(std::string(obj->at("message").as_string()).substr(0, 200));
    throw ProviderError(message, reply.status >= 500);
  }
  if (!field) co_return std::string();
  const auto* data = obj->contains("data") && obj->at("data").is_object() ? &obj->at("data").as_object() : nullptr;
  if (!data || !data->contains(field) || !data->at(field).is_string())
    throw ProviderError("Paystack answered " + path + " without data." + field, true);
  co_return std::string(data->at(field).as_string());
}

boost::asio::awaitable<std::string> PaystackClient::initialize(const std::string& email, std::int64_t amount,
                                                               const std::string& reference) {
  boost::json::object body{
      {"email", email}, {"amount", std::to_string(amount)}, {"currency", "NGN"}, {"reference", reference}};
  if (!options_.callback_url.empty()) body["callback_url"] = options_.callback_url;
  co_return co_await call("/transaction/initialize", boost::json::serialize(body), "authorization_url");
}

boost::asio::awaitable<std::string> PaystackClient::create_recipient(const std::string& name,
                                                                     const std::string& account_number,
                                                                     const std::string& bank_code) {
  boost::json::object body{{"type", "nuban"},
                           {"name", name},
                           {"account_number", account_number},
                           {"bank_code", bank_code},
                           {"currency", "NGN"}};
  co_return co_await call("/transferrecipient", boost::json::serialize(body), "recipient_code");
}

boost::asio::awaitable<std::string> PaystackClient::transfer(std::int64_t amount, const std::string& recipient_code,
                                                             const std::string& reference, const std::string& reason) {
  boost::json::object body{{"source", "balance"},    {"amount", amount}, {"recipient", recipient_code},
                           {"reference", reference}, {"reason", reason}, {"currency", "NGN"}};
  co_return co_await call("/transfer", boost::json::serialize(body), "status");
}

boost::asio::awaitable<std::string> PaystackClient::customer_code(std::string email, std::string first_name,
                                                                  std::string last_name) {
  boost::json::object body{{"email", email}, {"first_name", first_name}, {"last_name", last_name}};
  co_return co_await call("/customer", boost::json::serialize(body), "customer_code");
}

boost::asio::awaitable<void> PaystackClient::validate_customer(std::string customer_code,
                                                               Identification identification) {
  // The code goes into the path: Paystack's codes are CUS_ and letters or digits; anything else is refused here.
  const bool safe = !customer_code.empty() && std::all_of(customer_code.begin(), customer_code.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!safe) throw ProviderError("Paystack gave a customer code we cannot use", false);
  // "bank_account", not "bvn": Paystack deprecated the bvn type in 2021 for this one, which takes the same BVN
  // plus a bank account connected to it (src/payments/README.md).
  boost::json::object body{{"country", "NG"},
                           {"type", "bank_account"},
                           {"bvn", identification.bvn},
                           {"bank_code", identification.bank_code},
                           {"account_number", identification.account_number},
                           {"first_name", identification.first_name},
                           {"last_name", identification.last_name}};
  co_await call("/customer/" + customer_code + "/identification", boost::json::serialize(body), nullptr);
}

std::optional<Verification> parse_verification(std::string_view path, int http_status, std::string_view body) {
  boost::system::error_code ec;
  auto json = boost::json::parse(body, ec);
  const auto* obj = (!ec && json.is_object()) ? &json.as_object() : nullptr;
  const auto* ok = obj ? obj->if_contains("status") : nullptr;
  const bool succeeded = http_status >= 200 && http_status < 300 && ok && ok->is_bool() && ok->as_bool();
  if (!succeeded) {
    // Assumed from Paystack's API conventions: an unknown reference is a 400 or 404 with "status": false.
    if ((http_status == 400 || http_status == 404) && ok && ok->is_bool() && !ok->as_bool()) return std::nullopt;
    std::string message = "Paystack refused " + std::string(path) + " (HTTP " + std::to_string(http_status) + ")";
    if (const auto* m = obj ? obj->if_contains("message") : nullptr; m && m->is_string())
      message += ": " + std::string(m->as_string()).substr(0, 200);
    throw ProviderError(message, true);
  }
  const auto* data = obj->if_contains("data");
  const auto* status = data && data->is_object() ? data->as_object().if_contains("status") : nullptr;
  if (!status || !status->is_string())
    throw ProviderError("Paystack answered " + std::string(path) + " without data.status", true);
  const auto& d = data->as_object();
  Verification v;
  v.status = std::string(status->as_string());
  if (const auto* ref = d.if_contains("reference"); ref && ref->is_string())
    v.reference = std::string(ref->as_string());
  if (const auto* amount = d.if_contains("amount"); amount && amount->is_int64()) v.amount = amount->as_int64();
  if (const auto* currency = d.if_contains("currency"); currency && currency->is_string())
    v.currency = std::string(currency->as_string());
  return v;
}

boost::asio::awaitable<net::OutboundReply> PaystackClient::get_reply(std::string path, std::string what, int retries) {
  const net::OutboundRequest request{
      "GET", path, "", {{"Authorization", "Bearer " + options_.secret_key}, {"Accept", "application/json"}}};
  for (int attempt = 0;; ++attempt) {
    std::string failed;
    try {
      auto reply = co_await http_.send(options_.base_url, request, options_.timeout);
      co_return reply;
    } catch (const net::NotSent& e) {
      failed = "Paystack unreachable for " + what + ": " + e.what();
    } catch (const net::NoAnswer& e) {
      // Not again: a Paystack that took the whole timeout once would likely take it again, and callers wait.
      throw ProviderError("no answer from Paystack to " + what + ": " + e.what(), false);
    }
    if (attempt >= retries) throw ProviderError(failed, false);
    boost::asio::steady_timer backoff(co_await boost::asio::this_coro::executor,
                                      std::chrono::milliseconds(100 * (attempt + 1)));
    co_await backoff.async_wait(boost::asio::use_awaitable);
  }
}

boost::asio::awaitable<std::optional<Verification>> PaystackClient::verify(std::string path) {
  // Asked once: the reconciler asks again next round.
  const auto reply = co_await get_reply(path, "GET " + path, 0);
  co_return parse_verification(path, reply.status, reply.body);
}

boost::asio::awaitable<std::optional<Verification>> PaystackClient::verify_transaction(std::string reference) {
  std::string path = "/transaction/verify/" + reference;
  co_return co_await verify(std::move(path));
}

boost::asio::awaitable<std::optional<Verification>> PaystackClient::verify_transfer(std::string reference) {
  std::string path = "/transfer/verify/" + reference;
  co_return co_await verify(std::move(path));
}

}  // namespace b2w::payments
