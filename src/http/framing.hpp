#pragma once
// Strict HTTP/1.1 request framing (RFC 9112): the header decides where a request ends, and a header
// that two readers could read two ways is refused. A front proxy (the ALB, HAProxy) that took one
// reading and this server the other would let a client hide a second request inside the first
// (request smuggling), so every ambiguity is a 400 and the connection is closed.
#include <boost/beast/http/message.hpp>
#include <cstddef>
#include <string_view>

namespace b2w::http {

enum class FramingProblem {
  none,
  obs_fold,                              // a header line continued on the next line (SP/HTAB first)
  transfer_encoding,                     // a Transfer-Encoding other than exactly one final "chunked"
  transfer_encoding_http10,              // any Transfer-Encoding on an HTTP/1.0 request
  transfer_encoding_and_content_length,  // both: which one wins is the classic smuggling question
  content_length,                        // not plain digits, or several that disagree
  host_missing,                          // an HTTP/1.1 request without Host
  host_repeated,                         // two Host fields, or a list in one
};

// Why `header` (a parsed request header) cannot be served, or none. `saw_obs_fold` comes from the
// raw header bytes (HeaderBytes): the parser unfolds obs-fold, so the fields no longer show it.
// Costs one pass over the fields comparing their enum names; values are looked at only for the
// framing fields present.
FramingProblem framing_problem(const boost::beast::http::request_header<>& header, bool saw_obs_fold);

// The message of the 400 for a problem (other than none).
std::string_view framing_message(FramingProblem problem);

// The bytes of one request's header block as the parser takes them: counted (the header limit,
// which Beast's own limit enforces only on what it has not consumed yet) and scanned for obs-fold
// (a line feed followed by SP or HTAB). Pieces may split a line anywhere: the scan carries the
// last byte over. Only header bytes are fed here, never the body.
struct HeaderBytes {
  std::size_t count = 0;
  bool obs_fold = false;
  bool line_ended = false;  // the last byte taken was a line feed

  void take(const char* data, std::size_t n);
};

}  // namespace b2w::http
