#pragma once
// Runs tests/support/fake_paystack.py on a free loopback port for the lifetime of the object.
#include <cstdint>
#include <string>

#include "python_fake.hpp"

namespace b2w::test {

class FakePaystack {
 public:
  explicit FakePaystack(const std::string& secret) : process_("fake_paystack.py", {secret}) {}

  std::string base_url() const { return process_.base_url(); }
  void set_mode(const std::string& mode);  // ok | down | refuse | hang
  // The fate of requests for this amount (kobo): a JSON object such as {"initialize": ["refuse", "ok"]} or
  // {"transfer": "early_success"} (tests/support/fake_paystack.py lists the outcomes).
  void script(std::int64_t amount, const std::string& json_fields);
  // Where scripted "early_*" transfer webhooks go (the server's webhook URL).
  void set_webhook_target(const std::string& url);
  // What GET /<kind>/verify/<reference> reports from now on (kind: transaction or transfer), as if the customer
  // paid or the bank answered while the webhook was lost; the reference must have been initialized or transferred.
  void set_verify_status(const std::string& kind, const std::string& reference, const std::string& status);
  std::string requests_json() { return process_.read("/_requests"); }  // every request it received

  // --- Listings (the daily reconciliation) ---
  // Adds a record GET /transaction or GET /transfer (and verify) will list, or changes one the fake knows:
  // `json_fields` is an object with "kind" (transaction|transfer), "reference" and any of "amount", "currency",
  // "status", "paid_at" / "updated_at", "created_at" (tests/support/fake_paystack.py).
  void plant(const std::string& json_fields);
  // ---- Banks and account resolution (payout accounts) ----
  // GET /bank/resolve answers `account_name` for this account from now on (unknown accounts: 422).
  void set_resolvable(const std::string& bank_code, const std::string& account_number, const std::string& account_name);
  // How many requests it received whose path starts with `prefix` (e.g. "/bank?", "/transferrecipient").
  int count_requests(const std::string& prefix);
  // ---- end of banks and account resolution ----

 private:
  PythonFake process_;
};

}  // namespace b2w::test
