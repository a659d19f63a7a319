#include "fake_paystack.hpp"

namespace b2w::test {

void FakePaystack::set_mode(const std::string& mode) {
  process_.control("/_mode", "{\"mode\":\"" + mode + "\"}");
}

void FakePaystack::script(std::int64_t amount, const std::string& json_fields) {
  auto body = json_fields;
  body.insert(1, "\"amount\":" + std::to_string(amount) + (body.size() > 2 ? "," : ""));
  process_.control("/_script", body);
}

void FakePaystack::set_webhook_target(const std::string& url) {
  process_.control("/_webhook_target", "{\"url\":\"" + url + "\"}");
}

void FakePaystack::set_verify_status(const std::string& kind, const std::string& reference, const std::string& status) {
  process_.control("/_verify_status",
                   "{\"kind\":\"" + kind + "\",\"reference\":\"" + reference + "\",\"status\":\"" + status + "\"}");
}

// --- Listings (the daily reconciliation) ---
void FakePaystack::plant(const std::string& json_fields) {
  process_.control("/_plant", json_fields);
}

}  // namespace b2w::test
