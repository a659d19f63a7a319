#pragma once
// The synchronous half of reading requests off a connection: feeding buffered bytes to the parser
// and deciding what a failed or unsound request is answered with. The server (server.cpp) adds the
// waiting; the fuzzer (tests/fuzz/http_request_stream.cpp) drives the same calls over byte streams.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "http/framing.hpp"
#include "http/types.hpp"

namespace b2w::http {

using RequestParser = beast_http::request_parser<beast_http::string_body>;

// A parser for the next request on a connection, with the server's limits.
void set_limits(RequestParser& parser, std::uint64_t max_header_bytes, std::uint64_t max_body_bytes);

// Feeds buffered bytes to the parser until the header (or, with whole_message, the whole request)
// is parsed, consuming what it took from `buffer`. need_more: wait for bytes. Parsing what is
// already buffered directly, rather than through Beast's composed read, saves an async operation
// and a trip through the scheduler per request.
//
// `limit` (the header limit) is enforced here too: Beast's header_limit counts only the header
// bytes it has not consumed yet (a long header of short lines passes it), and nothing bounds an
// unfinished chunk-extension or trailer line in a body. `header` sees every byte the parser took
// of the header, and none of the body.
boost::system::error_code parse_buffered(RequestParser& parser, boost::beast::flat_buffer& buffer, bool whole_message,
                                         HeaderBytes& header, std::size_t limit);

// How the server answers a request it will not serve; the connection closes after it.
struct Refusal {
  Status status;
  std::string_view code;
  std::string_view message;
};

// For a header that could not be read: nullopt when nobody is owed an answer (the client went away,
// or took longer than the header timeout: then the connection just closes).
std::optional<Refusal> header_refusal(boost::system::error_code ec, bool timed_out);
// For a body that could not be read (timed_out: the body timeout passed, 408).
std::optional<Refusal> body_refusal(boost::system::error_code ec, bool timed_out);
// For a header that was read but frames its request ambiguously (nullopt: none).
std::optional<Refusal> framing_refusal(const RequestParser& parser, const HeaderBytes& header);

// The fields a chunked body's trailer adds. Beast merges trailer fields into the request's fields,
// after framing_refusal looked at them and where handlers would take them for header fields (a
// second Host, an Authorization or X-Forwarded-For that no proxy in front inspected). RFC 9110 6.5.1
// forbids merging them unless a field's definition allows it; none of ours needs one, so the server
// drops them: it notes the header's fields once the header is parsed (by address: Beast keeps fields
// of one name together, so a trailer's Host sits beside the header's) and drops the others after the body.
using HeaderFields = std::vector<const void*>;
HeaderFields header_fields_of(const Request& request);
void drop_trailer_fields(Request& request, const HeaderFields& header_fields);

}  // namespace b2w::http
