#include "observability/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <thread>

namespace b2w::log {
namespace {

std::atomic<int> g_threshold{static_cast<int>(Level::info)};

// The values to scrub, with a Boyer-Moore-Horspool searcher each: a log line is
// scanned once per secret on every line, and long random secrets skip fast.
struct Secrets {
  using Searcher = std::boyer_moore_horspool_searcher<std::string::const_iterator>;
  std::vector<std::string> values;
  std::vector<Searcher> searchers;  // point into values, which never change after configure()
};
Secrets g_secrets;

// One writer thread drains a shared buffer to stdout in large writes.
class Writer {
 public:
  Writer() : thread_([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // Lines are batched: the writer wakes when a batch is full, on a short timer,
  // or at once for warnings and errors, so a busy I/O thread costs one memcpy a line.
  void push(std::string_view line, bool urgent) {
    std::unique_lock lock(mu_);
    // Back-pressure only when the writer is far behind (stdout blocked): bounded memory beats unbounded growth.
    if (pending_.size() > kMaxPending) drained_.wait(lock, [&] { return pending_.size() <= kMaxPending / 2; });
    pending_.append(line);
    ++queued_;
    const bool wake = urgent || pending_.size() >= kBatch;
    urgent_wanted_ = urgent_wanted_ || urgent;
    lock.unlock();  // the woken writer would otherwise run only to block on the mutex we hold
    if (wake) cv_.notify_one();
  }

  void flush() {
    std::unique_lock lock(mu_);
    const std::uint64_t target = queued_;
    flush_wanted_ = true;
    cv_.notify_one();
    drained_.wait(lock, [&] { return written_ >= target; });
  }

 private:
  static constexpr std::size_t kMaxPending = 8 * 1024 * 1024;
  static constexpr std::size_t kBatch = 256 * 1024;
  static constexpr std::chrono::milliseconds kLinger{20};

  void run() {
    std::string batch;
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait_for(lock, kLinger,
                   [&] { return stopping_ || flush_wanted_ || urgent_wanted_ || pending_.size() >= kBatch; });
      urgent_wanted_ = false;
      if (pending_.empty()) {
        flush_wanted_ = false;
        if (stopping_) return;
        continue;
      }
      batch.swap(pending_);
      flush_wanted_ = false;
      const std::uint64_t upto = queued_;
      lock.unlock();
      write_all(batch);
      batch.clear();
      lock.lock();
      written_ = upto;
      drained_.notify_all();
    }
  }

  static void write_all(const std::string& data) {
    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(STDOUT_FILENO, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return;  // stdout gone: nothing sensible left to do with logs
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable drained_;
  std::string pending_;
  std::uint64_t queued_ = 0;
  std::uint64_t written_ = 0;
  bool stopping_ = false;
  bool flush_wanted_ = false;
  bool urgent_wanted_ = false;  // a warning or an error is waiting: write without lingering
  std::thread thread_;
};

Writer& writer() {
  static Writer w;
  return w;
}

// "2026-11-25T21:06:59.123Z", with the seconds part cached per thread.
void append_timestamp(std::string& out) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  thread_local std::time_t cached_secs = -1;
  thread_local char cached[24];
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_secs = secs;
  }
  const auto milli = static_cast<int>(ms % 1000);
  const char frac[] = {'.', static_cast<char>('0' + milli / 100), static_cast<char>('0' + milli / 10 % 10),
                       static_cast<char>('0' + milli % 10), 'Z'};
  out += cached;
  out.append(frac, sizeof frac);
}

}  // namespace

std::optional<Level> parse_level(std::string_view text) {
  if (text == "debug") return Level::debug;
  if (text == "info") return Level::info;
  if (text == "warn") return Level::warn;
  if (text == "error") return Level::error;
  return std::nullopt;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

void configure(Level threshold, std::vector<std::string> secrets) {
  g_threshold.store(static_cast<int>(threshold));
  Secrets kept;
  // Very short values would scrub ordinary words; config validation keeps real secrets long.
  for (auto& s : secrets) {
    if (s.size() < 6) continue;
    // Lines hold JSON text: a secret with quotes, backslashes or control characters appears escaped.
    std::string escaped;
    append_json_escaped(escaped, s);
    if (escaped != s) kept.values.push_back(std::move(escaped));
    kept.values.push_back(std::move(s));
  }
  for (const auto& value : kept.values) kept.searchers.emplace_back(value.begin(), value.end());
  g_secrets = std::move(kept);  // moving the vector keeps its strings where the searchers point
}

bool enabled(Level level) { return static_cast<int>(level) >= g_threshold.load(std::memory_order_relaxed); }

void flush() { writer().flush(); }

void write_line(std::string_view json_object) {
  if (json_object.size() < 2 || json_object.front() != '{' || json_object.back() != '}') return;
  // Every line starts with its timestamp, this one too; and is scrubbed like every other.
  std::string line = "{\"ts\":\"";
  append_timestamp(line);
  line += '"';
  const auto members = json_object.substr(1);
  if (members != "}") line += ',';
  line.append(members);
  line += '\n';
  if (!g_secrets.values.empty()) line = redact(std::move(line));
  writer().push(line, false);
}

std::string redact(std::string line) {
  static constexpr std::string_view kMark = "[REDACTED]";
  for (std::size_t i = 0; i < g_secrets.values.size(); ++i) {
    const auto& searcher = g_secrets.searchers[i];
    const auto length = g_secrets.values[i].size();
    std::size_t from = 0;
    for (;;) {
      const auto hit = searcher(line.cbegin() + static_cast<std::ptrdiff_t>(from), line.cend()).first;
      if (hit == line.cend()) break;
      const auto pos = static_cast<std::size_t>(hit - line.cbegin());
      line.replace(pos, length, kMark);
      from = pos + kMark.size();
    }
  }
  return line;
}

void append_json_escaped(std::string& out, std::string_view s) {
  // Runs of characters that need no escaping are appended whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
}

Line::Line(Level level, std::string_view msg) : on_(enabled(level)), urgent_(level >= Level::warn) {
  if (!on_) return;
  buf_.reserve(512);  // an access line is ~300 bytes: one allocation, no regrowth
  buf_ += "{\"ts\":\"";
  append_timestamp(buf_);
  buf_ += "\",\"level\":\"";
  buf_ += level_name(level);
  buf_ += "\",\"msg\":\"";
  append_json_escaped(buf_, msg);
  buf_ += '"';
}

Line::~Line() {
  if (!on_) return;
  buf_ += "}\n";
  if (!g_secrets.values.empty()) buf_ = redact(std::move(buf_));
  writer().push(buf_, urgent_);
}

Line& Line::key(std::string_view k) {
  // Keys are names written in the code, never input: they are appended as they are.
  buf_ += ",\"";
  buf_ += k;
  buf_ += "\":";
  return *this;
}

Line& Line::str(std::string_view k, std::string_view value) {
  if (!on_) return *this;
  key(k);
  buf_ += '"';
  append_json_escaped(buf_, value);
  buf_ += '"';
  return *this;
}

Line& Line::num(std::string_view k, std::int64_t value) {
  if (!on_) return *this;
  key(k);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  buf_.append(digits, end);
  return *this;
}

Line& Line::flag(std::string_view k, bool value) {
  if (!on_) return *this;
  key(k);
  buf_ += value ? "true" : "false";
  return *this;
}

Line& Line::object(std::string_view k, const std::vector<std::pair<std::string, std::string>>& fields) {
  if (!on_) return *this;
  key(k);
  buf_ += '{';
  bool first = true;
  for (const auto& [name, value] : fields) {
    if (!first) buf_ += ',';
    first = false;
    buf_ += '"';
    append_json_escaped(buf_, name);
    buf_ += "\":\"";
    append_json_escaped(buf_, value);
    buf_ += '"';
  }
  buf_ += '}';
  return *this;
}

}  // namespace b2w::log
