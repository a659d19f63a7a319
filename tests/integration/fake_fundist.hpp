#pragma once
// The aggregator's side of Fundist OneWallet for the tests: builds callbacks as Fundist sends them, signed
// (casino/fundist_signature, whose golden vectors come from an independent Python computation in
// src/casino/fundist_signature_test.cpp), posts them, and checks our replies' signatures.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "casino/fundist_signature.hpp"
#include "harness.hpp"

namespace b2w::test {

inline const std::string kFundistSecret = "fundist-hmac-secret-for-tests";

class FakeFundist {
 public:
  explicit FakeFundist(int port) : port_(port) {}
  void set_port(int port) { port_ = port; }

  // The reply's JSON, its signature checked; an empty object when there was no HTTP 200 reply.
  boost::json::object send(boost::json::object fields, const std::string& secret = kFundistSecret) {
    fields["hmac"] = casino::fundist::sign(fields, secret);
    return send_raw(boost::json::serialize(fields));
  }
  boost::json::object send_raw(const std::string& body) {
    Client c(port_, std::chrono::seconds(30));
    auto r = c.request("POST", "/api/v1/casino/fundist/callback", {{"Content-Type", "application/json"}}, body);
    if (!r || r->status != 200) {
      ADD_FAILURE() << "no 200 reply: " << (r ? std::to_string(r->status) + " " + r->body : "none");
      return {};
    }
    auto reply = boost::json::parse(r->body).as_object();
    EXPECT_TRUE(casino::fundist::signature_valid(reply, kFundistSecret)) << r->body;
    return reply;
  }

  static boost::json::object debit(const std::string& login, const std::string& tid, const std::string& amount) {
    return {{"type", "debit"},    {"userid", login},    {"currency", "NGN"},
            {"amount", amount},   {"tid", tid},         {"i_gameid", "R-" + tid},
            {"i_actionid", "A1"}, {"i_extparam", ""},   {"i_gamedesc", "998:slots"},
            {"subtype", "debit"}, {"round_start", true}};
  }
  static boost::json::object credit(const std::string& login, const std::string& tid, const std::string& amount) {
    return {{"type", "credit"},    {"userid", login},    {"currency", "NGN"},
            {"amount", amount},    {"tid", tid},         {"i_gameid", "R-" + tid},
            {"i_actionid", "A2"},  {"i_extparam", ""},   {"i_gamedesc", "998:slots"},
            {"subtype", "credit"}, {"round_ended", true}};
  }
  // A reversal of `original`: a credit reverses a debit, a debit a credit.
  static boost::json::object rollback(boost::json::object request, const std::string& original) {
    request["i_rollback"] = original;
    request["subtype"] = "cancel";
    return request;
  }

 private:
  int port_;
};

inline std::string status_of(const boost::json::object& reply) {
  const auto* s = reply.if_contains("status");
  return s && s->is_string() ? std::string(s->get_string()) : "";
}
inline std::string error_of(const boost::json::object& reply) {
  const auto* e = reply.if_contains("error");
  return e && e->is_string() ? std::string(e->get_string()) : "";
}
inline std::string balance_of(const boost::json::object& reply) {
  const auto* b = reply.if_contains("balance");
  return b && b->is_string() ? std::string(b->get_string()) : "";
}

}  // namespace b2w::test
