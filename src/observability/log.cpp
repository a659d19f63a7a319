#include "observability/log.hpp"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "observability/trace.hpp"

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
  // Small enough that one write() is short: on a core it shares with an I/O thread, the writer's turn
  // stalls every request in flight (256 KB writes put 0.75-2 ms latencies up by a third under load).
  static constexpr std::size_t kBatch = 64 * 1024;
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

// "2026-11-25T21:06:59.123Z", with the seconds part cached per thread. The clock is the kernel's
// tick (CLOCK_REALTIME_COARSE, 1-4 ms): a seventh of a precise read's cost, paid on every line, and
// fine for ordering lines in time; durations are measured with the precise clock.
constexpr std::size_t kTimestampSize = 24;
void format_timestamp(char (&out)[kTimestampSize]) {
  timespec now{};
  clock_gettime(CLOCK_REALTIME_COARSE, &now);
  const std::int64_t ms = std::int64_t{now.tv_sec} * 1000 + now.tv_nsec / 1'000'000;
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  thread_local std::time_t cached_secs = -1;
  thread_local char cached[19];  // "2026-11-25T21:06:59"
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char text[24];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::memcpy(cached, text, sizeof cached);
    cached_secs = secs;
  }
  const auto milli = static_cast<int>(ms % 1000);
  std::memcpy(out, cached, sizeof cached);
  out[19] = '.';
  out[20] = static_cast<char>('0' + milli / 100);
  out[21] = static_cast<char>('0' + milli / 10 % 10);
  out[22] = static_cast<char>('0' + milli % 10);
  out[23] = 'Z';
}

void append_timestamp(std::string& out) {
  char ts[kTimestampSize];
  format_timestamp(ts);
  out.append(ts, sizeof ts);
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
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
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

bool enabled(Level level) {
  return static_cast<int>(level) >= g_threshold.load(std::memory_order_relaxed);
}

void flush() {
  writer().flush();
}

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

namespace {
bool contains_secret(std::string_view line) {
  for (const auto& searcher : g_secrets.searchers)
    if (searcher(line.begin(), line.end()).first != line.end()) return true;
  return false;
}
}  // namespace

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

namespace {

// For each byte, the letter after the backslash that escapes it in a JSON string ('u' for
// \u00XX), or 0 when it goes as it is. One table lookup a byte on the request path.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t[0x7f] = 'u';
  t['"'] = '"';
  t['\\'] = '\\';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  return t;
}();

// Appends `s` escaped through `append(const char*, size)`; runs that need no escape go whole.
template <class Append>
void escape_json(std::string_view s, Append&& append) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char e = kEscapes[static_cast<unsigned char>(s[i])];
    if (e == 0) continue;
    append(s.data() + run, i - run);
    run = i + 1;
    if (e != 'u') {
      const char esc[] = {'\\', e};
      append(esc, sizeof esc);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(s[i]);
      const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      append(esc, sizeof esc);
    }
  }
  append(s.data() + run, s.size() - run);
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  escape_json(s, [&out](const char* p, std::size_t n) { out.append(p, n); });
}

// A line's bytes. Its appends inline, where std::string's go out of line into libstdc++: a
// line is a dozen small appends, once per request. Each thread reuses one, so a line costs no allocation.
constexpr std::size_t kKeptCapacity = 64 * 1024;

struct Line::Buffer {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
  std::size_t capacity = 0;
  bool taken = false;
  bool has_trace = false;  // the line has its "trace_id" already

  void append(const char* p, std::size_t n) {
    if (n == 0) return;  // p may be null then, which memcpy must not get
    if (capacity - size < n) grow(n);
    std::memcpy(data.get() + size, p, n);
    size += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void push(char c) { append(&c, 1); }
  void append_escaped(std::string_view s) {
    escape_json(s, [this](const char* p, std::size_t n) { append(p, n); });
  }
  std::string_view view() const { return {data.get(), size}; }

 private:
  void grow(std::size_t n) {
    const std::size_t wanted = std::max({capacity * 2, size + n, std::size_t{512}});
    std::unique_ptr<char[]> bigger(new char[wanted]);
    if (size > 0) std::memcpy(bigger.get(), data.get(), size);
    data = std::move(bigger);
    capacity = wanted;
  }
};

Line::Buffer& Line::thread_buffer() {
  thread_local Buffer buffer;
  return buffer;
}

Line::Line(Level level, std::string_view msg) : on_(enabled(level)), urgent_(level >= Level::warn) {
  if (!on_) return;
  buf_ = &thread_buffer();
  if (buf_->taken) {  // a line built while building another (an argument that logs)
    buf_ = new Buffer;
    owns_buf_ = true;
  }
  buf_->taken = true;
  buf_->size = 0;
  buf_->has_trace = false;
  try {
    buf_->append("{\"ts\":\"");
    char ts[kTimestampSize];
    format_timestamp(ts);
    buf_->append(ts, sizeof ts);
    buf_->append("\",\"level\":\"");
    buf_->append(level_name(level));
    buf_->append("\",\"msg\":\"");
    buf_->append_escaped(msg);
    buf_->push('"');
  } catch (...) {  // out of memory: no destructor will run to give the buffer back
    release();
    throw;
  }
}

void Line::release() {
  buf_->taken = false;
  if (owns_buf_)
    delete buf_;
  else if (buf_->capacity > kKeptCapacity)
    *buf_ = Buffer();  // one huge line does not pin its memory
}

Line::~Line() {
  if (!on_) return;
  // A line written while a request's code runs carries that request's trace (observability/trace.hpp).
  if (!buf_->has_trace)
    if (const auto* trace = trace::current(); trace && !trace->id.empty()) {
      buf_->append(",\"trace_id\":\"");
      buf_->append(trace->id);  // well-formed ids only: plain token characters, nothing to escape
      buf_->push('"');
    }
  buf_->append("}\n");
  const std::string_view line = buf_->view();
  if (!g_secrets.values.empty() && contains_secret(line))
    writer().push(redact(std::string(line)), urgent_);
  else
    writer().push(line, urgent_);
  release();
}

std::string_view Line::text() const {
  return on_ ? buf_->view() : std::string_view();
}

Line& Line::key(std::string_view k) {
  // Keys are names written in the code, never input: they are appended as they are.
  buf_->append(",\"");
  buf_->append(k);
  buf_->append("\":");
  return *this;
}

Line& Line::str(std::string_view k, std::string_view value) {
  if (!on_) return *this;
  if (k.size() == 8 && k == "trace_id") buf_->has_trace = true;
  key(k);
  buf_->push('"');
  buf_->append_escaped(value);
  buf_->push('"');
  return *this;
}

Line& Line::num(std::string_view k, std::int64_t value) {
  if (!on_) return *this;
  key(k);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  buf_->append(digits, static_cast<std::size_t>(end - digits));
  return *this;
}

Line& Line::flag(std::string_view k, bool value) {
  if (!on_) return *this;
  key(k);
  buf_->append(value ? std::string_view("true") : std::string_view("false"));
  return *this;
}

Line& Line::object(std::string_view k, const std::vector<std::pair<std::string, std::string>>& fields) {
  if (!on_) return *this;
  key(k);
  buf_->push('{');
  bool first = true;
  for (const auto& [name, value] : fields) {
    if (!first) buf_->push(',');
    first = false;
    buf_->push('"');
    buf_->append_escaped(name);
    buf_->append("\":\"");
    buf_->append_escaped(value);
    buf_->push('"');
  }
  buf_->push('}');
  return *this;
}

}  // namespace b2w::log
