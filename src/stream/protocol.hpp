#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The WebSocket protocol of GET /stream (README.md beside this file): what a client may send, the
// frames the server sends of its own, and the envelope messages travel in between tasks. Pure.
namespace b2w::stream {

enum class Op { subscribe, unsubscribe, auth };

struct ClientMessage {
  Op op = Op::subscribe;
  std::vector<std::string> events;  // subscribe, unsubscribe
  std::string token;                // auth
};

// A message the server answers with an error frame (the connection stays open).
struct ProtocolError {
  std::string code;
  std::string message;
};

inline constexpr std::size_t kMaxIdBytes = 64;

// One text frame from a client. `max_events`: the most ids one message may name.
std::variant<ClientMessage, ProtocolError> parse_client_message(std::string_view text, std::size_t max_events);

// {"type":"error","code","message"}
std::string error_frame(std::string_view code, std::string_view message);
// {"type":"resync"}: messages may have been lost; refetch over HTTP what you show.
std::string resync_frame();
// {"type":"subscribed"|"unsubscribed","events":[...],"subscriptions":n}
std::string subscriptions_frame(Op op, const std::vector<std::string>& events, std::size_t subscriptions);
// {"type":"authenticated","user_id"}
std::string authenticated_frame(std::string_view user_id);

// Between tasks a message travels as "<target>\n<frame>": the event or user it is for, and the frame
// every subscriber gets as it is (serialized once, at publish time).
std::string envelope(std::string_view target, std::string_view frame);
// False for a message that is not an envelope.
bool open_envelope(std::string_view message, std::string_view& target, std::string_view& frame);

}  // namespace b2w::stream
