#pragma once
#include <chrono>
#include <cstdint>
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

  // x-paystack-signature: hex HMAC-SHA512 of the raw body keyed with the secret key, compared in constant time.
  bool signature_valid(std::string_view raw_body, std::string_view signature_hex) const;
  static std::string sign(std::string_view secret, std::string_view raw_body);

 private:
  boost::asio::awaitable<std::string> call(const std::string& path, const std::string& body, const char* field);
  PaystackOptions options_;
  net::HttpClient http_;
};

}  // namespace b2w::payments
