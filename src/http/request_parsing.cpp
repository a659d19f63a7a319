#include "http/request_parsing.hpp"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace b2w::http {

namespace asio = boost::asio;
using boost::system::error_code;

void set_limits(RequestParser& parser, std::uint64_t max_header_bytes, std::uint64_t max_body_bytes) {
  parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
  parser.body_limit(max_body_bytes);
}

error_code parse_buffered(RequestParser& parser, boost::beast::flat_buffer& buffer, bool whole_message,
                          HeaderBytes& header, std::size_t limit) {
  while (whole_message ? !parser.is_done() : !parser.is_header_done()) {
    error_code ec;
    std::size_t used = 0;
    if (buffer.size() > 0) {
      used = parser.put(buffer.data(), ec);
      // The parser stops at the header's end (it is not eager), so these are header bytes only.
      if (!whole_message) header.take(static_cast<const char*>(buffer.data().data()), used);
      buffer.consume(used);
    }
    if (ec && ec != beast_http::error::need_more) return ec;
    if (ec || used == 0) {  // waiting for the rest of a line
      if (!whole_message && header.count + buffer.size() > limit) return beast_http::error::header_limit;
      if (whole_message && buffer.size() > limit) return beast_http::error::body_limit;
      return beast_http::error::need_more;
    }
  }
  if (!whole_message && header.count > limit) return beast_http::error::header_limit;
  return {};
}

namespace {

// The client closed, reset or was cut off: there is nobody to answer.
bool client_gone(error_code ec) {
  return ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset;
}

constexpr Refusal kTooLarge{Status::payload_too_large, "payload_too_large", "The request body is larger than allowed"};

}  // namespace

std::optional<Refusal> header_refusal(error_code ec, bool timed_out) {
  if (ec == beast_http::error::header_limit)
    return Refusal{Status::request_header_fields_too_large, "header_too_large",
                   "The request header block is larger than allowed"};
  if (ec == beast_http::error::body_limit) return kTooLarge;
  if (timed_out || client_gone(ec)) return std::nullopt;
  return Refusal{Status::bad_request, "bad_request", "The request is malformed"};
}

std::optional<Refusal> body_refusal(error_code ec, bool timed_out) {
  if (ec == beast_http::error::body_limit) return kTooLarge;
  if (timed_out) return Refusal{Status::request_timeout, "request_timeout", "The request body did not arrive in time"};
  if (client_gone(ec)) return std::nullopt;
  return Refusal{Status::bad_request, "bad_request", "The request body is malformed"};
}

std::optional<Refusal> framing_refusal(const RequestParser& parser, const HeaderBytes& header) {
  const auto problem = framing_problem(parser.get(), header.obs_fold);
  if (problem == FramingProblem::none) return std::nullopt;
  return Refusal{Status::bad_request, "bad_request", framing_message(problem)};
}

HeaderFields header_fields_of(const Request& request) {
  HeaderFields fields;
  for (const auto& field : request) fields.push_back(&field);
  return fields;
}

void drop_trailer_fields(Request& request, const HeaderFields& header_fields) {
  for (auto it = request.begin(); it != request.end();) {
    if (std::find(header_fields.begin(), header_fields.end(), &*it) == header_fields.end())
      it = request.erase(it);
    else
      ++it;
  }
}

}  // namespace b2w::http
