#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "observability/trace.hpp"
#include "util/ip_network.hpp"

namespace b2w::http {

using trace::Trace;

// The request id: X-Request-Id when it is a sane token, else the Root of the
// ALB's X-Amzn-Trace-Id, else a fresh random id.
std::string request_id_from(std::string_view x_request_id, std::string_view amzn_trace_id);
std::string generate_request_id();

// Which peers may tell us the client's address (TRUSTED_PROXIES, TRUSTED_PROXY_HOPS).
struct ProxyTrust {
  std::vector<IpNetwork> proxies;  // empty: X-Forwarded-For is never read
  int max_hops = 1;                // X-Forwarded-For entries read at most (the ALB appends one)

  bool trusts(const IpAddress& address) const;
};

// The client address. X-Forwarded-For (all its lines, joined by commas) is read only when the TCP
// peer is a trusted proxy; it is walked right to left, each entry appended by the hop after it,
// for as long as that hop is trusted and at most `max_hops` entries: the first untrusted address
// is the client. An entry that is not an IP literal stops the walk at the last trusted hop (what
// comes before it was written by someone we cannot vouch for). The result is a canonical IP
// literal, or the peer text as given when the peer itself is not one (a Unix socket: empty).
std::string client_ip_from(std::string_view x_forwarded_for, std::string_view peer_ip, const ProxyTrust& trust);

}  // namespace b2w::http
