#include "stream/protocol.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace b2w::stream {

namespace json = boost::json;

namespace {

// Ids are opaque and short; no control characters (a newline would break the envelope).
bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (const char c : id)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

ProtocolError invalid(std::string message) {
  return ProtocolError{"invalid_message", std::move(message)};
}

}  // namespace

std::variant<ClientMessage, ProtocolError> parse_client_message(std::string_view text, std::size_t max_events) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return invalid("A message must be a JSON object");
  const auto& object = parsed.as_object();
  const auto* op = object.if_contains("op");
  if (!op || !op->is_string()) return invalid("A message needs a string \"op\"");
  ClientMessage message;
  const std::string_view name = op->as_string();
  if (name == "auth") {
    const auto* token = object.if_contains("token");
    if (!token || !token->is_string() || token->as_string().empty())
      return invalid("\"auth\" needs a non-empty string \"token\"");
    message.op = Op::auth;
    message.token = std::string(token->as_string());
    return message;
  }
  if (name == "subscribe")
    message.op = Op::subscribe;
  else if (name == "unsubscribe")
    message.op = Op::unsubscribe;
  else
    return ProtocolError{"unknown_op", "Unknown op; expected subscribe, unsubscribe or auth"};
  const auto* events = object.if_contains("events");
  if (!events || !events->is_array() || events->as_array().empty())
    return invalid("\"" + std::string(name) + "\" needs a non-empty array \"events\"");
  if (events->as_array().size() > max_events)
    return ProtocolError{"too_many_subscriptions", "At most " + std::to_string(max_events) + " events per connection"};
  for (const auto& id : events->as_array()) {
    if (!id.is_string() || !valid_id(id.as_string()))
      return invalid("Each event id must be a string of 1 to 64 visible characters");
    message.events.emplace_back(id.as_string());
  }
  return message;
}

std::string error_frame(std::string_view code, std::string_view message) {
  return json::serialize(json::object{{"type", "error"}, {"code", code}, {"message", message}});
}

std::string resync_frame() {
  return R"({"type":"resync"})";
}

std::string subscriptions_frame(Op op, const std::vector<std::string>& events, std::size_t subscriptions) {
  json::array ids;
  for (const auto& e : events) ids.emplace_back(e);
  return json::serialize(json::object{{"type", op == Op::unsubscribe ? "unsubscribed" : "subscribed"},
                                      {"events", std::move(ids)},
                                      {"subscriptions", subscriptions}});
}

std::string authenticated_frame(std::string_view user_id) {
  return json::serialize(json::object{{"type", "authenticated"}, {"user_id", user_id}});
}

std::string envelope(std::string_view target, std::string_view frame) {
  std::string out;
  out.reserve(target.size() + 1 + frame.size());
  out.append(target).append(1, '\n').append(frame);
  return out;
}

bool open_envelope(std::string_view message, std::string_view& target, std::string_view& frame) {
  const auto newline = message.find('\n');
  if (newline == std::string_view::npos || newline == 0) return false;
  target = message.substr(0, newline);
  frame = message.substr(newline + 1);
  return !frame.empty();
}

}  // namespace b2w::stream
