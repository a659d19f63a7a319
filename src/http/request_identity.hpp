#pragma once
#include <string>
#include <string_view>

namespace b2w::http {

// The request id: X-Request-Id when it is a sane token, else the Root of the
// ALB's X-Amzn-Trace-Id, else a fresh random id.
std::string request_id_from(std::string_view x_request_id, std::string_view amzn_trace_id);
std::string generate_request_id();

// The client address. With N trusted proxy hops (the ALB is one), the client is
// the Nth address from the right of X-Forwarded-For; with no usable header, the peer.
std::string client_ip_from(std::string_view x_forwarded_for, std::string_view peer_ip, int trusted_hops);

}  // namespace b2w::http
