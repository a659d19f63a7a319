#pragma once
// Termii's token API (https://developers.termii.com, "Send Token" and "Verify Token"): the one place its wire
// format lives. identity/README.md says what is verified from Termii's documentation and what is assumed.
#include <chrono>
#include <string>
#include <string_view>

#include "net/http_client.hpp"
#include "util/awaitable.hpp"

namespace b2w::identity {

struct TermiiOptions {
  std::string base_url = "https://api.ng.termii.com";  // TERMII_BASE_URL
  std::string api_key;                                 // TERMII_API_KEY; empty: codes cannot be sent
  std::string sender_id = "Bet2wealth";                // TERMII_SENDER_ID: the registered sender ("from")
  std::string channel = "dnd";                         // TERMII_CHANNEL: dnd | generic | whatsapp
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
  int pin_minutes = 10;  // pin_time_to_live
  int pin_attempts = 5;  // pin_attempts: Termii's own bound, the same as ours
  int pin_length = 6;
};

// What Termii said of a pin.
enum class PinCheck { verified, rejected };

// The JSON bodies of the two calls. `msisdn` is the number without its plus (2348031234567).
std::string send_token_body(const TermiiOptions& options, std::string_view msisdn);
std::string verify_token_body(const TermiiOptions& options, std::string_view pin_id, std::string_view pin);
// A Send Token reply: its pinId; throws std::runtime_error for a refusal or a body of another shape.
std::string read_send_reply(int status, std::string_view body);
// A Verify Token reply: verified only when Termii says "verified": "True" (or true); a wrong, expired or used
// pin (a 4xx, or "verified" anything else) is rejected. Throws std::runtime_error for a 5xx or an unreadable
// body: Termii's trouble, not the user's answer.
PinCheck read_verify_reply(int status, std::string_view body);

// The client. Throws domain::Error unavailable `sms_unavailable` when Termii is not configured, unreachable,
// slow past the timeout or answers wrongly; nothing else is thrown.
class Termii {
 public:
  explicit Termii(TermiiOptions options) : options_(std::move(options)) {}

  bool configured() const { return !options_.api_key.empty(); }
  const TermiiOptions& options() const { return options_; }
  // Sends a code to `e164` (+234...) and returns Termii's pin id.
  Awaitable<std::string> send_code(std::string e164);
  Awaitable<PinCheck> check_code(std::string pin_id, std::string code);

 private:
  Awaitable<net::OutboundReply> post(std::string_view what, std::string target, std::string body);

  TermiiOptions options_;
  net::HttpClient http_;
};

}  // namespace b2w::identity
