// The RESP2 reply parser (kv/redis/resp.hpp) fed arbitrary bytes in arbitrary splits, as a Redis
// connection's reads deliver them, and the command encoder.
//
// Properties:
//  - the replies (and a protocol error, if any) do not depend on how the bytes were split: the
//    incremental Parser (prepare/commit/next) gives what parse_reply gives on the whole stream;
//  - every parsed reply, encoded again, parses back to itself and takes exactly the bytes it came from;
//  - append_command's output parses as an array of bulk strings equal to the arguments.
#include "kv/redis/resp.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace b2w::kv::redis;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

bool same(const Reply& a, const Reply& b) {
  if (a.type != b.type || a.integer != b.integer || a.str != b.str || a.elements.size() != b.elements.size())
    return false;
  for (std::size_t i = 0; i < a.elements.size(); ++i)
    if (!same(a.elements[i], b.elements[i])) return false;
  return true;
}

void encode(const Reply& r, std::string& out) {
  switch (r.type) {
    case Reply::Type::simple:
      out += "+" + r.str + "\r\n";
      break;
    case Reply::Type::error:
      out += "-" + r.str + "\r\n";
      break;
    case Reply::Type::integer:
      out += ":" + std::to_string(r.integer) + "\r\n";
      break;
    case Reply::Type::bulk:
      out += "$" + std::to_string(r.str.size()) + "\r\n" + r.str + "\r\n";
      break;
    case Reply::Type::nil:
      out += "$-1\r\n";
      break;
    case Reply::Type::array:
      out += "*" + std::to_string(r.elements.size()) + "\r\n";
      for (const auto& e : r.elements) encode(e, out);
      break;
  }
}

struct Parsed {
  std::vector<Reply> replies;
  bool protocol_error = false;
};

Parsed parse_whole(std::string_view stream) {
  Parsed out;
  std::size_t pos = 0;
  try {
    for (;;) {
      Reply r;
      const std::size_t before = pos;
      if (!parse_reply(stream, pos, r)) break;
      // Round trip: encoded again, the reply parses back to itself. Simple strings and errors may
      // not hold CR or LF (the parser ends their line at the first CR), so encoding is faithful.
      std::string again;
      encode(r, again);
      std::size_t p = 0;
      Reply back;
      if (!parse_reply(again, p, back) || p != again.size() || !same(back, r)) fail("a reply does not round-trip");
      if (pos <= before) fail("a reply took no bytes");
      out.replies.push_back(std::move(r));
    }
  } catch (const ProtocolError&) {
    out.protocol_error = true;
  }
  return out;
}

Parsed parse_in_pieces(std::string_view stream, FuzzedDataProvider& splits) {
  Parser parser;
  Parsed out;
  std::size_t at = 0;
  try {
    while (at < stream.size()) {
      const auto n = std::min<std::size_t>(stream.size() - at, splits.ConsumeIntegralInRange<std::size_t>(1, 64));
      std::memcpy(parser.prepare(n), stream.data() + at, n);
      parser.commit(n);
      at += n;
      // A fresh Reply for each, as kv/redis/connection.cpp does: next() fills only the fields of the
      // reply's type.
      Reply r;
      while (parser.next(r)) {
        out.replies.push_back(std::move(r));
        r = Reply{};
      }
    }
  } catch (const ProtocolError&) {
    out.protocol_error = true;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool()) {  // commands
    std::vector<std::string> args;
    while (in.remaining_bytes() > 0 && args.size() < 16) args.push_back(in.ConsumeRandomLengthString(64));
    std::vector<std::string_view> views(args.begin(), args.end());
    std::string wire;
    append_command(wire, views);
    std::size_t pos = 0;
    Reply r;
    if (!parse_reply(wire, pos, r) || pos != wire.size() || r.type != Reply::Type::array ||
        r.elements.size() != args.size())
      fail("a command does not parse back as an array of its arguments");
    for (std::size_t i = 0; i < args.size(); ++i)
      if (r.elements[i].type != Reply::Type::bulk || r.elements[i].str != args[i]) fail("an argument changed");
    return 0;
  }
  // A quarter of what is left decides the splits, the rest is the stream.
  const auto split_bytes = in.ConsumeBytes<std::uint8_t>(in.remaining_bytes() / 4);
  const auto stream = in.ConsumeRemainingBytesAsString();
  FuzzedDataProvider splits(split_bytes.data(), split_bytes.size());
  const auto whole = parse_whole(stream);
  const auto pieces = parse_in_pieces(stream, splits);
  if (whole.protocol_error != pieces.protocol_error) fail("a protocol error depends on the split");
  if (whole.replies.size() != pieces.replies.size()) fail("the replies depend on the split");
  for (std::size_t i = 0; i < whole.replies.size(); ++i)
    if (!same(whole.replies[i], pieces.replies[i])) fail("a reply depends on the split");
  return 0;
}
