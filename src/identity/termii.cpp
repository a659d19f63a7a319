#include "identity/termii.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "domain/error.hpp"
#include "observability/log.hpp"

namespace b2w::identity {

namespace json = boost::json;
using domain::Error;
using domain::ErrorKind;

namespace {

Error sms_unavailable() {
  return Error(ErrorKind::unavailable, "sms_unavailable", "Text messages cannot be sent right now; try again shortly");
}

json::object object_of(std::string_view body) {
  boost::system::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec || !doc.is_object()) throw std::runtime_error("not a JSON object");
  return std::move(doc.as_object());
}

}  // namespace

std::string send_token_body(const TermiiOptions& o, std::string_view msisdn) {
  // The placeholder is replaced by the pin in message_text; the text names the brand and the lifetime.
  const std::string placeholder = "< 1234 >";
  return json::serialize(json::object{
      {"api_key", o.api_key},
      {"message_type", "NUMERIC"},
      {"to", msisdn},
      {"from", o.sender_id},
      {"channel", o.channel},
      {"pin_attempts", o.pin_attempts},
      {"pin_time_to_live", o.pin_minutes},
      {"pin_length", o.pin_length},
      {"pin_placeholder", placeholder},
      {"message_text", "Your Bet2wealth code is " + placeholder + ". It expires in " + std::to_string(o.pin_minutes) +
                           " minutes. Never share it."},
      {"pin_type", "NUMERIC"},
  });
}

std::string verify_token_body(const TermiiOptions& o, std::string_view pin_id, std::string_view pin) {
  return json::serialize(json::object{{"api_key", o.api_key}, {"pin_id", pin_id}, {"pin", pin}});
}

std::string read_send_reply(int status, std::string_view body) {
  if (status < 200 || status > 299) throw std::runtime_error("Send Token answered HTTP " + std::to_string(status));
  const auto reply = object_of(body);
  const auto* pin_id = reply.if_contains("pinId");
  if (!pin_id || !pin_id->is_string() || pin_id->as_string().empty() || pin_id->as_string().size() > 200)
    throw std::runtime_error("Send Token reply without a pinId");
  return std::string(pin_id->as_string());
}

PinCheck read_verify_reply(int status, std::string_view body) {
  if (status >= 500 || status < 200) throw std::runtime_error("Verify Token answered HTTP " + std::to_string(status));
  if (status >= 400) return PinCheck::rejected;  // a wrong, expired or spent pin
  const auto reply = object_of(body);
  const auto* verified = reply.if_contains("verified");
  if (!verified) throw std::runtime_error("Verify Token reply without `verified`");
  if (verified->is_bool()) return verified->as_bool() ? PinCheck::verified : PinCheck::rejected;
  if (verified->is_string() && verified->as_string() == "True") return PinCheck::verified;
  return PinCheck::rejected;  // "False", "Expired", "Not verified" ...
}

Awaitable<net::OutboundReply> Termii::post(std::string_view what, std::string target, std::string body) {
  if (!configured()) throw sms_unavailable();
  net::OutboundRequest request;
  request.method = "POST";
  request.target = std::move(target);
  request.body = std::move(body);
  request.headers = {{"Content-Type", "application/json"}};
  net::OutboundReply reply;
  bool failed = false;
  try {
    reply = co_await http_.send(options_.base_url, std::move(request), options_.timeout);
  } catch (const std::runtime_error& e) {  // net::NotSent, net::NoAnswer: the error names no secret
    log::warn("Termii unreachable").str("call", what).str("error", e.what());
    failed = true;
  }
  if (failed) throw sms_unavailable();
  co_return reply;
}

Awaitable<std::string> Termii::send_code(std::string e164) {
  const std::string msisdn = e164.substr(e164.rfind('+', 0) == 0 ? 1 : 0);
  auto reply = co_await post("send", "/api/sms/otp/send", send_token_body(options_, msisdn));
  try {
    co_return read_send_reply(reply.status, reply.body);
  } catch (const std::runtime_error& e) {
    // Termii's message may echo the request; only the status and our reading of it are logged.
    log::warn("Termii refused to send a code").num("status", reply.status).str("error", e.what());
  }
  throw sms_unavailable();
}

Awaitable<PinCheck> Termii::check_code(std::string pin_id, std::string code) {
  auto reply = co_await post("verify", "/api/sms/otp/verify", verify_token_body(options_, pin_id, code));
  try {
    co_return read_verify_reply(reply.status, reply.body);
  } catch (const std::runtime_error& e) {
    log::warn("Termii could not check a code").num("status", reply.status).str("error", e.what());
  }
  throw sms_unavailable();
}

}  // namespace b2w::identity
