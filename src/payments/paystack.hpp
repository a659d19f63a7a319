#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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

// --- The daily reconciliation's listings (paystack_reports.cpp) ---
// One record of GET /transaction or GET /transfer (the fields we use of each `data[]` item).
struct ListedPayment {
  std::string reference;
  std::string status;
  std::optional<std::int64_t> amount;  // kobo; nullopt when missing or not an integer
  std::string currency;
  // When it settled: transactions' paid_at (paidAt), transfers' updatedAt (updated_at); nullopt when absent or
  // unreadable (an unpaid transaction has none).
  std::optional<std::int64_t> settled_at;
};
// One page of a listing: its records and Paystack's meta (page numbers from 1).
struct ListedPage {
  std::vector<ListedPayment> records;
  int page = 1;
  int page_count = 0;
};
enum class ListKind { transactions, transfers };
// An answer of GET /transaction or GET /transfer (pure, no I/O). Throws ProviderError for anything that is not a
// page of the listing (non-2xx, "status": false, malformed JSON, no data array, no meta).
ListedPage parse_list_page(ListKind kind, int http_status, std::string_view body);
// ---- Banks and account resolution (payout accounts, issue 21; src/payments/paystack_banks.cpp) ----
// A bank a payout account may be at: Paystack's bank code (3 to 6 digits) and name.
struct Bank {
  std::string code;
  std::string name;
};
// One page of GET /bank: the banks on it that take NGN transfers to a NUBAN (active, not deleted, type nuban,
// currency NGN, a 3 to 6 digit code; the others are left out), and meta.next, the cursor of the next page (nullopt
// on the last). Throws ProviderError for anything that is not such a page.
struct BankPage {
  std::vector<Bank> banks;
  std::optional<std::string> next;
};
BankPage parse_bank_page(int http_status, std::string_view body);
// The holder of an account as GET /bank/resolve gives it. nullopt: Paystack could not resolve it (HTTP 400 or 422
// with "status": false: no such account at that bank). Throws ProviderError for anything else.
struct ResolvedAccount {
  std::string account_number;
  std::string account_name;
};
std::optional<ResolvedAccount> parse_account_resolution(int http_status, std::string_view body);
// ---- end of banks and account resolution ----

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

  // POST /customer {email, first_name, last_name} -> customer_code. Paystack answers with the existing
  // customer for an email it knows, so asking again is harmless.
  boost::asio::awaitable<std::string> customer_code(std::string email, std::string first_name, std::string last_name);
  // POST /customer/{code}/identification: Paystack's customer validation with a BVN and a bank account in the
  // customer's name. Paystack answers "in progress" at once; the outcome comes as a customeridentification.success
  // or .failed webhook. Nothing of the request is logged or kept here.
  struct Identification {
    std::string bvn;
    std::string bank_code;
    std::string account_number;
    std::string first_name;
    std::string last_name;
  };
  boost::asio::awaitable<void> validate_customer(std::string customer_code, Identification identification);

  // GET /transaction/verify/:reference and GET /transfer/verify/:reference, asked once (the caller, the
  // reconciler, asks again next round): ProviderError when Paystack cannot answer, nullopt when it does not
  // know the reference.
  boost::asio::awaitable<std::optional<Verification>> verify_transaction(std::string reference);
  boost::asio::awaitable<std::optional<Verification>> verify_transfer(std::string reference);

  // ---- Banks and account resolution (src/payments/paystack_banks.cpp) ----
  // GET /bank?country=nigeria, every page (cursor pagination, at most kMaxBankPages pages): the banks, by name.
  static constexpr int kMaxBankPages = 20;
  boost::asio::awaitable<std::vector<Bank>> list_banks();
  // GET /bank/resolve?account_number&bank_code: nullopt when Paystack cannot resolve the account.
  boost::asio::awaitable<std::optional<ResolvedAccount>> resolve_account(std::string account_number,
                                                                         std::string bank_code);
  // ---- end of banks and account resolution ----

  // x-paystack-signature: hex HMAC-SHA512 of the raw body keyed with the secret key, compared in constant time.
  bool signature_valid(std::string_view raw_body, std::string_view signature_hex) const;
  static std::string sign(std::string_view secret, std::string_view raw_body);

 private:
  // POSTs `body` to `path`: data.`field` of Paystack's answer, or "" when `field` is null (no data expected).
  boost::asio::awaitable<std::string> call(const std::string& path, const std::string& body, const char* field);
  boost::asio::awaitable<std::optional<Verification>> verify(std::string path);
  // The one way a GET with the secret key reaches Paystack (verify, banks, listings): its answer, whatever the
  // status; ProviderError when none came: at once after a timeout, or after `retries` more tries of a request
  // that never reached Paystack. `what` names the request in errors instead of the path, which may hold an account
  // number.
  boost::asio::awaitable<net::OutboundReply> get_reply(std::string path, std::string what, int retries);
  PaystackOptions options_;
  net::HttpClient http_;

  // --- The daily reconciliation's listings (paystack_reports.cpp) ---
 public:
  // GET /transaction?status=success and GET /transfer (every status) between `from` and `to` (epoch µs, sent as
  // RFC 3339), every page followed (kListPerPage a page, at most kListMaxPages pages, else ProviderError: a
  // listing is complete or not given). ProviderError when Paystack cannot answer any page.
  static constexpr int kListPerPage = 100;
  static constexpr int kListMaxPages = 2000;
  boost::asio::awaitable<std::vector<ListedPayment>> list_transactions(std::int64_t from, std::int64_t to);
  boost::asio::awaitable<std::vector<ListedPayment>> list_transfers(std::int64_t from, std::int64_t to);

 private:
  boost::asio::awaitable<std::vector<ListedPayment>> list_all(std::string path_and_filters, ListKind kind);
};

}  // namespace b2w::payments
