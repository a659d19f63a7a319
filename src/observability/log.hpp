#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Structured logging: one JSON object per line on stdout (CloudWatch Logs via
// awslogs). Lines are built on the caller's thread and written by one writer
// thread, so an I/O thread never blocks on the terminal or the pipe.
namespace b2w::log {

enum class Level : int { debug = 0, info = 1, warn = 2, error = 3 };

std::optional<Level> parse_level(std::string_view text);
std::string_view level_name(Level level);

// Sets the threshold and the values to scrub from every line. Call before the
// first line that could carry a secret (start-up does this first).
void configure(Level threshold, std::vector<std::string> secrets);
bool enabled(Level level);
// Blocks until every line emitted so far has been written.
void flush();
// Writes a JSON object built elsewhere as one line, whatever the level, with "ts" added first (the metrics line).
void write_line(std::string_view json_object);
// Replaces every occurrence of a configured secret with [REDACTED].
std::string redact(std::string line);

class Line {
 public:
  Line(Level level, std::string_view msg);
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;
  ~Line();

  // Keys are names from the code (plain lower_snake_case, written as they are); values are escaped.
  Line& str(std::string_view key, std::string_view value);
  Line& num(std::string_view key, std::int64_t value);
  Line& flag(std::string_view key, bool value);
  // A string map as a nested JSON object of strings.
  Line& object(std::string_view key, const std::vector<std::pair<std::string, std::string>>& fields);
  // The JSON text so far (without the closing brace): for tests.
  std::string_view text() const;

 private:
  Line& key(std::string_view key);
  struct Buffer;
  static Buffer& thread_buffer();
  void release();
  Buffer* buf_ = nullptr;  // the thread's reusable buffer, or one of its own while that is taken
  bool owns_buf_ = false;
  bool on_;
  bool urgent_;
};

inline Line debug(std::string_view msg) {
  return Line(Level::debug, msg);
}
inline Line info(std::string_view msg) {
  return Line(Level::info, msg);
}
inline Line warn(std::string_view msg) {
  return Line(Level::warn, msg);
}
inline Line error(std::string_view msg) {
  return Line(Level::error, msg);
}

// Appends `s` to `out` as the body of a JSON string (no surrounding quotes).
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace b2w::log
