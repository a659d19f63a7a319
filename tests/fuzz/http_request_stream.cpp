// Pipelined byte streams through the server's own request reading (http/request_parsing.hpp):
// header, framing decision, body, request after request, in the order Server::session makes the
// same calls, with the same end-of-stream handling as Server::read_more. The input is the bytes a
// client sends on one connection (seeds are plain HTTP); how they are cut into reads comes from a
// hash of the input, so mutations explore both.
//
// Properties:
//  - every request served has sound framing: version 1.0 or 1.1, exactly one Host on 1.1, no
//    Transfer-Encoding on 1.0, never Transfer-Encoding with Content-Length, a body within the limit
//    and exactly Content-Length bytes long when one is given, a header within the header limit, and
//    none of it from a chunked body's trailer;
//  - after a refusal nothing more is read (the driver stops, as the session does);
//  - the requests served do not depend on how the bytes were cut into reads: the same whether the
//    stream arrives at once, one byte per read or in reads cut by the input's hash (see agree() for
//    where a size limit may bite earlier in one reading than in another).
#include <algorithm>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_parsing.hpp"

namespace {

using namespace b2w::http;
using boost::system::error_code;

constexpr std::size_t kHeaderLimit = 2048;  // small, so inputs of a few KiB reach the limits
constexpr std::uint64_t kBodyLimit = 512;

struct Served {
  std::string method;
  std::string target;
  unsigned version = 0;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
  std::size_t header_bytes = 0;
  bool operator==(const Served&) const = default;
};

struct Outcome {
  std::vector<Served> served;
  std::optional<Status> refused;  // the refusal's status, when the connection ended with one
  bool operator==(const Outcome&) const = default;
};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

class Connection {
 public:
  Connection(std::string_view stream, std::vector<std::size_t> pieces) : stream_(stream), pieces_(std::move(pieces)) {}

  // One more read's worth of bytes into the buffer; false at the end of the stream.
  bool receive() {
    if (at_ == stream_.size()) return false;
    const std::size_t piece = pieces_.empty() ? stream_.size() : pieces_[reads_++ % pieces_.size()];
    const std::size_t n = std::min(piece, stream_.size() - at_);
    auto space = buffer_.prepare(n);
    std::memcpy(space.data(), stream_.data() + at_, n);
    buffer_.commit(n);
    at_ += n;
    return true;
  }

  // Server::read_more without the waiting.
  error_code read_more(RequestParser& parser, bool whole_message, HeaderBytes& header) {
    for (;;) {
      if (!receive()) {
        if (!parser.got_some()) return beast_http::error::end_of_stream;
        error_code ec;
        parser.put_eof(ec);
        return ec;
      }
      const auto ec = parse_buffered(parser, buffer_, whole_message, header, kHeaderLimit);
      if (ec != beast_http::error::need_more) return ec;
    }
  }

  Outcome run() {
    Outcome out;
    for (;;) {
      if (buffer_.size() == 0 && !receive()) return out;  // idle, and the client is done
      RequestParser parser;
      set_limits(parser, kHeaderLimit, kBodyLimit);
      HeaderBytes header;
      auto ec = parse_buffered(parser, buffer_, false, header, kHeaderLimit);
      if (ec == beast_http::error::need_more) ec = read_more(parser, false, header);
      if (ec) {
        if (const auto refusal = header_refusal(ec, false)) out.refused = refusal->status;
        return out;
      }
      if (const auto refusal = framing_refusal(parser, header)) {
        out.refused = refusal->status;
        return out;
      }
      const HeaderFields header_fields = parser.chunked() ? header_fields_of(parser.get()) : HeaderFields();
      if (!parser.is_done()) {
        ec = parse_buffered(parser, buffer_, true, header, kHeaderLimit);
        if (ec == beast_http::error::need_more) ec = read_more(parser, true, header);
        if (ec) {
          if (const auto refusal = body_refusal(ec, false)) out.refused = refusal->status;
          return out;
        }
        if (parser.chunked()) drop_trailer_fields(parser.get(), header_fields);
      }
      const bool keep_alive = parser.keep_alive();
      out.served.push_back(check(parser.release(), header));
      if (!keep_alive) return out;
    }
  }

 private:
  static Served check(const Request& req, const HeaderBytes& header) {
    if (req.version() != 10 && req.version() != 11) fail("version other than 1.0 or 1.1");
    if (header.count > kHeaderLimit) fail("header beyond the limit");
    if (header.obs_fold) fail("obs-fold served");
    if (req.body().size() > kBodyLimit) fail("body beyond the limit");
    int hosts = 0;
    bool te = false;
    bool cl = false;
    Served s{std::string(req.method_string()), std::string(req.target()), req.version(), {}, req.body(), header.count};
    for (const auto& f : req) {
      hosts += f.name() == Field::host;
      te = te || f.name() == Field::transfer_encoding;
      cl = cl || f.name() == Field::content_length;
      s.fields.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    if (req.version() == 11 && hosts != 1) fail("HTTP/1.1 request without exactly one Host");
    if (hosts > 1) fail("two Host fields");
    if (te && req.version() == 10) fail("Transfer-Encoding on HTTP/1.0");
    if (te && cl) fail("Transfer-Encoding with Content-Length");
    if (framing_problem(req, false) != FramingProblem::none) fail("served a request with a framing problem");
    if (cl) {
      const auto length = std::strtoull(std::string(req[Field::content_length]).c_str(), nullptr, 10);
      if (req.body().size() != length) fail("body length differs from Content-Length");
    }
    return s;
  }

  std::string_view stream_;
  std::vector<std::size_t> pieces_;
  std::size_t reads_ = 0;
  std::size_t at_ = 0;
  boost::beast::flat_buffer buffer_;
};

// Read sizes from the input's hash: mostly small (lines split anywhere), sometimes large.
std::vector<std::size_t> pieces_for(std::string_view stream) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : stream) h = (h ^ c) * 1099511628211ULL;
  std::vector<std::size_t> pieces;
  for (int i = 0; i < 16; ++i) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto r = static_cast<std::size_t>(h >> 33);
    pieces.push_back(r % 8 == 0 ? 1 + r % 4096 : 1 + r % 24);
  }
  return pieces;
}

// The requests served must not depend on the reads, with two allowances. Whether a malformed
// request is answered (400) or the stream ends first may: Beast checks a start line only once the
// header's end has arrived when it came in pieces. And the size limits are checked while waiting for
// more bytes (Beast bounds neither a header it has partly consumed nor a chunked body's trailer), so a
// header or trailer near the limit may be refused (413, 431) in one reading and served in another
// that had it whole: then the refused reading served a prefix of the other's requests.
bool agree(const Outcome& a, const Outcome& b) {
  const auto size_refused = [](const Outcome& o) {
    return o.refused == Status::payload_too_large || o.refused == Status::request_header_fields_too_large;
  };
  const auto prefix = [](const std::vector<Served>& shorter, const std::vector<Served>& longer) {
    return shorter.size() <= longer.size() && std::equal(shorter.begin(), shorter.end(), longer.begin());
  };
  return a.served == b.served || (size_refused(a) && prefix(a.served, b.served)) ||
         (size_refused(b) && prefix(b.served, a.served));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  const Outcome whole = Connection(stream, {}).run();
  const Outcome pieces = Connection(stream, pieces_for(stream)).run();
  const Outcome bytes = Connection(stream, {1}).run();
  if (!agree(whole, pieces) || !agree(whole, bytes)) {
    for (const auto* o : {&whole, &pieces, &bytes}) {
      std::fprintf(stderr, "served %zu, refused %d:", o->served.size(), o->refused ? static_cast<int>(*o->refused) : 0);
      for (const auto& s : o->served)
        std::fprintf(stderr, " [%s %s %zu body bytes]", s.method.c_str(), s.target.c_str(), s.body.size());
      std::fprintf(stderr, "\n");
    }
    fail("the requests served depend on how the stream was cut into reads");
  }
  return 0;
}
