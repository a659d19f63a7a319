#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "net/http_client.hpp"

namespace b2w::payments {

// Paystack could not do what we asked: down, timed out, or refused. `sent` says whether
// the request may have reached Paystack (then its outcome is unknown until a webhook).
class ProviderError : public std::runtime_error {
 public:
  ProviderError(const std::string& message, bool maybe_sent) : std::runtime_error(message), maybe_sent_(maybe_sent) {}
  bool maybe_sent() const { return maybe_sent_; }

 private:
  bool maybe_sent_;
};

struct PaystackOptions {
  std::string base_url = "https://api.paystack.co";
  std::string secret_key;
  std::chrono::milliseconds timeout{10000};
  std::string callback_url;
  int retries = 2;  // only for requests that never reached Paystack
};

// What Paystack's verify endpoints say of one of our references (the fields we use of `data`).
struct Verification {
  std::string status;  // transactions: success, failed, abandoned, reversed, ongoing, pending, ...; transfers:
                       // success, failed, reversed, pending, otp, ...
  std::string reference;
  std::optional<std::int64_t> amount;  // kobo; nullopt when missing or not an integer
  std::string currency;
};

// An answer of GET /transaction/verify/:reference or GET /transfer/verify/:reference (pure, no I/O). nullopt:
// Paystack knows no payment with this reference (HTTP 400 or 404 with "status": false). Throws ProviderError
// for anything else that is not a verification (5xx, 401, malformed JSON, no data.status).
std::optional<Verification> parse_verification(std::string_view path, int http_status, std::string_view body);

// Paystack's REST API (amounts in kobo) and webhook signatures.
class PaystackClient {
 public:
  explicit PaystackClient(PaystackOptions options) : options_(std::move(options)) {}

  // POST /transaction/initialize -> the checkout page for the customer.
  boost::asio::awaitable<std::string> initialize(const std::string& email, std::int64_t amount,
                                                 const std::string& reference);
  // POST /transferrecipient (NUBAN) -> recipient_code.
  boost::asio::awaitable<std::string> create_recipient(const std::string& name, const std::string& account_number,
                                                       const std::string& bank_code);
  // POST /transfer -> Paystack's transfer status ("pending", "success", "otp", ...).
  boost::asio::awaitable<std::string> transfer(std::int64_t amount, const std::string& recipient_code,
                                               const std::string& reference, const std::string& reason);

  // GET /transaction/verify/:reference and GET /transfer/verify/:reference, asked once (the caller, the
  // reconciler, asks again next round): ProviderError when Paystack cannot answer, nullopt when it does not
  // know the reference.
  boost::asio::awaitable<std::optional<Verification>> verify_transaction(std::string reference);
  boost::asio::awaitable<std::optional<Verification>> verify_transfer(std::string reference);

  // x-paystack-signature: hex HMAC-SHA512 of the raw body keyed with the secret key, compared in constant time.
  bool signature_valid(std::string_view raw_body, std::string_view signature_hex) const;
  static std::string sign(std::string_view secret, std::string_view raw_body);

 private:
  boost::asio::awaitable<std::string> call(const std::string& path, const std::string& body, const char* field);
  boost::asio::awaitable<std::optional<Verification>> verify(std::string path);
  PaystackOptions options_;
  net::HttpClient http_;
};

}  // namespace b2w::payments
