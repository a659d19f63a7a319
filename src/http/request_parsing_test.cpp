#include "http/request_parsing.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/error.hpp>
#include <cstring>
#include <iterator>
#include <string>

using namespace b2w::http;

namespace {

// Parses a whole request as the server does: header, then body.
Request parse(const std::string& raw) {
  RequestParser parser;
  set_limits(parser, 16 * 1024, 1024 * 1024);
  boost::beast::flat_buffer buffer;
  auto space = buffer.prepare(raw.size());
  std::memcpy(space.data(), raw.data(), raw.size());
  buffer.commit(raw.size());
  HeaderBytes header;
  EXPECT_FALSE(parse_buffered(parser, buffer, false, header, 16 * 1024));
  const HeaderFields header_fields = parser.chunked() ? header_fields_of(parser.get()) : HeaderFields();
  EXPECT_FALSE(parse_buffered(parser, buffer, true, header, 16 * 1024));
  EXPECT_TRUE(parser.is_done());
  if (parser.chunked()) drop_trailer_fields(parser.get(), header_fields);
  return parser.release();
}

}  // namespace

// Found by fuzzing (tests/fuzz/http_request_stream): Beast merges a chunked body's trailer into the
// request's fields, where a second Host (or an X-Request-Id, an Authorization) passed for a header field.
TEST(RequestParsing, TrailerFieldsAreDropped) {
  const auto req = parse(
      "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Request-Id: header\r\n\r\n"
      "2\r\n{}\r\n0\r\nHost: y\r\nX-Request-Id: trailer\r\nAuthorization: Bearer t\r\n\r\n");
  EXPECT_EQ(std::distance(req.begin(), req.end()), 3);
  EXPECT_EQ(req.count(Field::host), 1u);
  EXPECT_EQ(req[Field::host], "x");
  EXPECT_EQ(req["X-Request-Id"], "header");
  EXPECT_EQ(req.count(Field::authorization), 0u);
  EXPECT_EQ(req.body(), "{}");
}

TEST(RequestParsing, ABodyWithoutTrailerKeepsEveryField) {
  const auto chunked = parse("POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(std::distance(chunked.begin(), chunked.end()), 2);
  const auto sized = parse("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(std::distance(sized.begin(), sized.end()), 2);
  EXPECT_EQ(sized.body(), "{}");
}

TEST(RequestParsing, RefusalsForUnreadableRequests) {
  EXPECT_EQ(header_refusal(beast_http::error::header_limit, false)->status, Status::request_header_fields_too_large);
  EXPECT_EQ(header_refusal(beast_http::error::body_limit, false)->status, Status::payload_too_large);
  EXPECT_EQ(header_refusal(beast_http::error::bad_version, false)->status, Status::bad_request);
  EXPECT_FALSE(header_refusal(beast_http::error::partial_message, false));
  EXPECT_FALSE(header_refusal(beast_http::error::bad_version, true));  // timed out: nobody to answer
  EXPECT_EQ(body_refusal(beast_http::error::body_limit, false)->status, Status::payload_too_large);
  EXPECT_EQ(body_refusal(beast_http::error::partial_message, true)->status, Status::request_timeout);
  EXPECT_EQ(body_refusal(beast_http::error::bad_chunk, false)->status, Status::bad_request);
  EXPECT_FALSE(body_refusal(beast_http::error::partial_message, false));
}
