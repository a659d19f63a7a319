#include "http/framing.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/error.hpp>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "http/request_parsing.hpp"

using namespace b2w::http;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

FramingProblem problem_of(int version, const Fields& fields, bool obs_fold = false) {
  beast_http::request_header<> header;
  header.version(version);
  for (const auto& [name, value] : fields) header.insert(name, value);
  return framing_problem(header, obs_fold);
}

struct Parsed {
  boost::system::error_code ec;
  HeaderBytes header;
};

// The header of `raw`, fed to parse_buffered in pieces of at most `piece` bytes as the server feeds a
// connection's reads.
Parsed parse_header(const std::string& raw, std::size_t piece) {
  RequestParser parser;
  set_limits(parser, 16 * 1024, 1024 * 1024);
  boost::beast::flat_buffer buffer;
  Parsed out;
  for (std::size_t at = 0; at < raw.size(); at += piece) {
    const auto n = std::min(piece, raw.size() - at);
    auto space = buffer.prepare(n);
    std::memcpy(space.data(), raw.data() + at, n);
    buffer.commit(n);
    out.ec = parse_buffered(parser, buffer, false, out.header, 16 * 1024);
    if (out.ec != beast_http::error::need_more) break;
  }
  return out;
}

}  // namespace

TEST(Framing, OrdinaryRequestsAreSound) {
  EXPECT_EQ(problem_of(11, {{"Host", "x"}}), FramingProblem::none);
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Content-Length", "12"}}), FramingProblem::none);
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Transfer-Encoding", "chunked"}}), FramingProblem::none);
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Transfer-Encoding", " Chunked "}}), FramingProblem::none);
  EXPECT_EQ(problem_of(10, {}), FramingProblem::none);  // HTTP/1.0 needs no Host
  EXPECT_EQ(problem_of(10, {{"Content-Length", "3"}}), FramingProblem::none);
  EXPECT_EQ(problem_of(11, {{"Host", ""}}), FramingProblem::none);  // an empty authority is allowed
  // Repeated lengths that agree are one length (RFC 9112 6.3 allows accepting them).
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Content-Length", "5"}, {"Content-Length", "5"}}), FramingProblem::none);
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Content-Length", "5, 5"}}), FramingProblem::none);
}

TEST(Framing, TransferEncodingMustBeExactlyChunked) {
  for (const std::string te : {"xchunked", "identity", "chunked, gzip", "gzip", "chunked, chunked", "gzip, chunked", "",
                               "chunked,", ",chunked", "chunked;q=1", "chunked x"}) {
    EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Transfer-Encoding", te}}), FramingProblem::transfer_encoding) << te;
  }
  // Split over two fields the codings read as one list.
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}}),
            FramingProblem::transfer_encoding);
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}),
            FramingProblem::transfer_encoding);
}

TEST(Framing, TransferEncodingOnHttp10OrWithContentLength) {
  EXPECT_EQ(problem_of(10, {{"Transfer-Encoding", "chunked"}}), FramingProblem::transfer_encoding_http10);
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}}),
            FramingProblem::transfer_encoding_and_content_length);
  EXPECT_EQ(problem_of(11, {{"Host", "x"}, {"Content-Length", "3"}, {"Transfer-Encoding", "identity"}}),
            FramingProblem::transfer_encoding_and_content_length);
}

TEST(Framing, ContentLengthMustBeOnePlainNumber) {
  for (const Fields& f :
       {Fields{{"Content-Length", "1"}, {"Content-Length", "2"}}, Fields{{"Content-Length", "1, 2"}},
        Fields{{"Content-Length", "+1"}}, Fields{{"Content-Length", "-1"}}, Fields{{"Content-Length", "0x10"}},
        Fields{{"Content-Length", ""}}, Fields{{"Content-Length", "1,"}}, Fields{{"Content-Length", "1 2"}},
        Fields{{"Content-Length", "99999999999999999999"}}}) {
    Fields with_host = f;
    with_host.emplace_back("Host", "x");
    EXPECT_EQ(problem_of(11, with_host), FramingProblem::content_length) << f[0].second;
  }
}

TEST(Framing, ExactlyOneHostOnHttp11) {
  EXPECT_EQ(problem_of(11, {}), FramingProblem::host_missing);
  EXPECT_EQ(problem_of(11, {{"Host", "a"}, {"Host", "b"}}), FramingProblem::host_repeated);
  EXPECT_EQ(problem_of(11, {{"Host", "a"}, {"host", "a"}}), FramingProblem::host_repeated);
  EXPECT_EQ(problem_of(11, {{"Host", "a, b"}}), FramingProblem::host_repeated);
  EXPECT_EQ(problem_of(10, {{"Host", "a"}, {"Host", "b"}}), FramingProblem::host_repeated);
}

TEST(Framing, ObsFoldIsRefusedFirst) {
  EXPECT_EQ(problem_of(11, {{"Host", "x"}}, true), FramingProblem::obs_fold);
  for (auto p : {FramingProblem::obs_fold, FramingProblem::transfer_encoding, FramingProblem::transfer_encoding_http10,
                 FramingProblem::transfer_encoding_and_content_length, FramingProblem::content_length,
                 FramingProblem::host_missing, FramingProblem::host_repeated})
    EXPECT_FALSE(framing_message(p).empty());
}

TEST(Framing, HeaderBytesFindObsFoldAcrossEverySplit) {
  const std::string folded = "GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\n\r\n";
  const std::string tabbed = "GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n\ttwo\r\n\r\n";
  const std::string plain = "GET / HTTP/1.1\r\nHost: x\r\nX-A: one two\r\n\r\n";
  for (std::size_t piece = 1; piece <= folded.size(); ++piece) {
    for (const auto* raw : {&folded, &tabbed}) {
      const auto parsed = parse_header(*raw, piece);
      EXPECT_FALSE(parsed.ec) << piece << ": " << parsed.ec.message();
      EXPECT_TRUE(parsed.header.obs_fold) << piece;
      EXPECT_EQ(parsed.header.count, raw->size()) << piece;
    }
    const auto parsed = parse_header(plain, piece);
    EXPECT_FALSE(parsed.ec) << piece;
    EXPECT_FALSE(parsed.header.obs_fold) << piece;
  }
}

TEST(Framing, HeaderBytesNeverLookAtTheBody) {
  // The body starts with a line feed and a space: body bytes, not a folded header line.
  const std::string raw = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\n  x";
  for (std::size_t piece = 1; piece <= raw.size(); ++piece) {
    const auto parsed = parse_header(raw, piece);
    EXPECT_FALSE(parsed.ec) << piece;
    EXPECT_FALSE(parsed.header.obs_fold) << piece;
    EXPECT_EQ(parsed.header.count, raw.find("\r\n\r\n") + 4) << piece;
  }
}

TEST(Framing, HeaderBytesTakePieces) {
  HeaderBytes h;
  h.take("X: a\r\n", 6);
  EXPECT_TRUE(h.line_ended);
  EXPECT_FALSE(h.obs_fold);
  h.take(" b\r\n", 4);  // the continuation arrives in the next piece
  EXPECT_TRUE(h.obs_fold);
  EXPECT_EQ(h.count, 10u);
  HeaderBytes empty;
  empty.take("", 0);
  EXPECT_EQ(empty.count, 0u);
  EXPECT_FALSE(empty.line_ended);
}

TEST(Framing, RefusalsAreBadRequests) {
  RequestParser parser;
  const std::string raw = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n";
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(raw), ec);
  ASSERT_FALSE(ec);
  const auto refusal = framing_refusal(parser, HeaderBytes{});
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, Status::bad_request);
  EXPECT_EQ(refusal->code, "bad_request");
  EXPECT_EQ(refusal->message, framing_message(FramingProblem::transfer_encoding));
}
