#include "fake_paystack.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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

// ---- Banks and account resolution (payout accounts) ----

void FakePaystack::set_resolvable(const std::string& bank_code, const std::string& account_number,
                                  const std::string& account_name) {
  const boost::json::object body{
      {"bank_code", bank_code}, {"account_number", account_number}, {"account_name", account_name}};
  process_.control("/_resolve", boost::json::serialize(body));
}

int FakePaystack::count_requests(const std::string& prefix) {
  const auto all = boost::json::parse(requests_json());
  int n = 0;
  for (const auto& r : all.as_array())
    if (r.as_object().at("path").as_string().starts_with(prefix)) ++n;
  return n;
}

// ---- end of banks and account resolution ----

}  // namespace b2w::test
