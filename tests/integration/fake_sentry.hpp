#pragma once
// Runs tests/support/fake_sentry.py (Sentry's envelope endpoint; it parses what it receives on its own) on a free
// loopback port for the lifetime of the object.
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <string>

#include "python_fake.hpp"

namespace b2w::test {

class FakeSentry {
 public:
  FakeSentry(std::string key = "fakepublickey0123", std::string project = "4242")
      : key_(std::move(key)), project_(std::move(project)), process_("fake_sentry.py", {key_, project_}) {}

  const std::string& key() const { return key_; }
  const std::string& project() const { return project_; }
  // The DSN the server is given: plain http to the fake.
  std::string dsn() const {
    return "http://" + key_ + "@127.0.0.1:" + std::to_string(process_.port()) + "/" + project_;
  }
  void set_mode(const std::string& mode) { process_.control("/_mode", "{\"mode\":\"" + mode + "\"}"); }
  // Every envelope received, as the fake parsed it (tests/support/fake_sentry.py lists the fields).
  boost::json::array envelopes() const {
    const auto text = process_.read("/_envelopes");
    return text.empty() ? boost::json::array() : boost::json::parse(text).as_array();
  }
  // How many posts reached the envelope endpoint (whatever their fate).
  int received() const {
    const auto text = process_.read("/_count");
    return text.empty() ? -1 : static_cast<int>(boost::json::parse(text).at("received").as_int64());
  }

 private:
  std::string key_;
  std::string project_;
  PythonFake process_;
};

}  // namespace b2w::test
