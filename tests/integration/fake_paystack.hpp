#pragma once
// Runs tests/support/fake_paystack.py on a free loopback port for the lifetime of the object.
#include <sys/types.h>

#include <cstdint>
#include <string>

namespace b2w::test {

class FakePaystack {
 public:
  explicit FakePaystack(const std::string& secret);
  ~FakePaystack();
  FakePaystack(const FakePaystack&) = delete;
  FakePaystack& operator=(const FakePaystack&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void set_mode(const std::string& mode);  // ok | down | refuse | hang
  // The fate of requests for this amount (kobo): a JSON object such as {"initialize": ["refuse", "ok"]} or
  // {"transfer": "early_success"} (tests/support/fake_paystack.py lists the outcomes).
  void script(std::int64_t amount, const std::string& json_fields);
  // Where scripted "early_*" transfer webhooks go (the server's webhook URL).
  void set_webhook_target(const std::string& url);
  std::string requests_json();  // every request it received

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
};

}  // namespace b2w::test
