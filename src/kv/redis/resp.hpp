#pragma once
// RESP2 (the Redis serialization protocol): command encoding and an incremental reply parser.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace b2w::kv::redis {

struct Reply {
  enum class Type : std::uint8_t { simple, error, integer, bulk, nil, array };
  Type type = Type::nil;
  std::int64_t integer = 0;
  std::string str;              // simple, error, bulk
  std::vector<Reply> elements;  // array

  bool is_error() const { return type == Type::error; }
  bool is_nil() const { return type == Type::nil; }
  // The error's code: its first word ("READONLY", "NOSCRIPT", "WRONGPASS"...).
  std::string_view error_code() const;
};

// A reply that breaks the protocol (the connection cannot be trusted afterwards).
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends `*N\r\n$len\r\narg\r\n...` for one command.
void append_command(std::string& out, std::span<const std::string_view> args);

// Parses replies out of a growing byte buffer. Feed bytes with `prepare`/`commit`,
// then call `next` until it returns false.
class Parser {
 public:
  // Writable space of at least `n` bytes at the end of the buffer.
  char* prepare(std::size_t n);
  void commit(std::size_t n) { end_ += n; }
  // True and `out` set when a complete reply is buffered; false when more bytes are needed.
  // Throws ProtocolError on malformed input.
  bool next(Reply& out);
  std::size_t buffered() const { return end_ - begin_; }

 private:
  std::vector<char> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

// Parses one reply from `data` starting at `pos`; on success advances `pos`. Exposed for tests.
bool parse_reply(std::string_view data, std::size_t& pos, Reply& out);

}  // namespace b2w::kv::redis
