#include "kv/redis/resp.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace b2w::kv::redis {
namespace {

constexpr std::int64_t kMaxBulk = 512LL * 1024 * 1024;  // Redis' own proto-max-bulk-len default
constexpr std::int64_t kMaxArray = 1LL << 24;
constexpr int kMaxDepth = 16;

char* append_uint(char* p, std::size_t v) {
  return std::to_chars(p, p + 24, v).ptr;
}

// Finds "\r\n" from `pos`; returns the position of '\r' or npos when not yet buffered.
std::size_t find_crlf(std::string_view data, std::size_t pos) {
  for (;;) {
    const auto cr = data.find('\r', pos);
    if (cr == std::string_view::npos || cr + 1 >= data.size()) return std::string_view::npos;
    if (data[cr + 1] == '\n') return cr;
    throw ProtocolError("bare CR in reply header");
  }
}

std::int64_t parse_int(std::string_view text) {
  std::int64_t v = 0;
  const auto* first = text.data();
  const auto* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || text.empty()) throw ProtocolError("bad integer in reply");
  return v;
}

bool parse(std::string_view data, std::size_t& pos, Reply& out, int depth) {
  if (depth > kMaxDepth) throw ProtocolError("reply nested too deeply");
  if (pos >= data.size()) return false;
  const char tag = data[pos];
  const auto eol = find_crlf(data, pos + 1);
  if (eol == std::string_view::npos) return false;
  const std::string_view line = data.substr(pos + 1, eol - pos - 1);
  std::size_t p = eol + 2;
  switch (tag) {
    case '+':
    case '-':
      out.type = tag == '+' ? Reply::Type::simple : Reply::Type::error;
      out.str.assign(line);
      break;
    case ':':
      out.type = Reply::Type::integer;
      out.integer = parse_int(line);
      break;
    case '$': {
      const auto len = parse_int(line);
      if (len == -1) {
        out.type = Reply::Type::nil;
        break;
      }
      if (len < 0 || len > kMaxBulk) throw ProtocolError("bad bulk length");
      const auto n = static_cast<std::size_t>(len);
      if (data.size() - p < n + 2) return false;
      if (data[p + n] != '\r' || data[p + n + 1] != '\n') throw ProtocolError("bulk not terminated");
      out.type = Reply::Type::bulk;
      out.str.assign(data.substr(p, n));
      p += n + 2;
      break;
    }
    case '*': {
      const auto count = parse_int(line);
      if (count == -1) {
        out.type = Reply::Type::nil;
        break;
      }
      if (count < 0 || count > kMaxArray) throw ProtocolError("bad array length");
      out.type = Reply::Type::array;
      out.elements.clear();
      // Do not trust the count for allocation before the elements are buffered.
      out.elements.reserve(static_cast<std::size_t>(std::min<std::int64_t>(count, 64)));
      for (std::int64_t i = 0; i < count; ++i) {
        Reply element;
        if (!parse(data, p, element, depth + 1)) return false;
        out.elements.push_back(std::move(element));
      }
      break;
    }
    default:
      throw ProtocolError("unknown reply type");
  }
  pos = p;
  return true;
}

}  // namespace

std::string_view Reply::error_code() const {
  if (type != Type::error) return {};
  std::string_view s = str;
  return s.substr(0, s.find(' '));
}

void append_command(std::string& out, std::span<const std::string_view> args) {
  std::size_t need = 32;                      // '*' + up to 20 digits + CRLF
  for (auto a : args) need += a.size() + 32;  // '$' + digits + CRLF + data + CRLF
  const std::size_t old = out.size();
  out.resize(old + need);
  char* p = out.data() + old;
  *p++ = '*';
  p = append_uint(p, args.size());
  *p++ = '\r';
  *p++ = '\n';
  for (auto a : args) {
    *p++ = '$';
    p = append_uint(p, a.size());
    *p++ = '\r';
    *p++ = '\n';
    if (!a.empty()) std::memcpy(p, a.data(), a.size());
    p += a.size();
    *p++ = '\r';
    *p++ = '\n';
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

bool parse_reply(std::string_view data, std::size_t& pos, Reply& out) {
  std::size_t p = pos;
  if (!parse(data, p, out, 0)) return false;
  pos = p;
  return true;
}

char* Parser::prepare(std::size_t n) {
  if (begin_ == end_) begin_ = end_ = 0;
  if (buf_.size() - end_ < n) {
    if (begin_ > 0) {  // compact first
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buf_.size() - end_ < n) buf_.resize(std::max(buf_.size() * 2, end_ + n));
  }
  return buf_.data() + end_;
}

bool Parser::next(Reply& out) {
  const std::string_view data(buf_.data() + begin_, end_ - begin_);
  std::size_t pos = 0;
  if (!parse_reply(data, pos, out)) return false;
  begin_ += pos;
  return true;
}

}  // namespace b2w::kv::redis
