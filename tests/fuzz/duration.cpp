// Durations and byte sizes from the configuration (config/duration.hpp).
//
// Properties:
//  - a parse either succeeds with a value or fails with a non-empty error, never both or neither;
//  - a parsed duration is within 0 to ten years, and is exactly count x unit of the text it came from;
//  - format_duration's output parses back to the same duration (round trip);
//  - a parsed byte size is exactly count x unit.
#include "config/duration.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace b2w::config;
using std::chrono::milliseconds;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

constexpr long long kTenYearsMs = 10LL * 365 * 86'400'000;

// The text's value by the documented grammar, in 128 bits: digits, then a unit (or none).
bool reference(std::string text, long long bare_ms, unsigned __int128& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.erase(0, 1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  std::size_t i = 0;
  unsigned __int128 count = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    count = count * 10 + static_cast<unsigned>(text[i++] - '0');
    if (count > (static_cast<unsigned __int128>(1) << 100)) return false;  // far beyond any limit
  }
  if (i == 0) return false;
  const std::string unit = text.substr(i);
  long long ms = 0;
  if (unit.empty())
    ms = bare_ms;
  else if (unit == "ms")
    ms = 1;
  else if (unit == "s")
    ms = 1000;
  else if (unit == "m")
    ms = 60'000;
  else if (unit == "h")
    ms = 3'600'000;
  else if (unit == "d")
    ms = 86'400'000;
  else
    return false;
  out = count * static_cast<unsigned>(ms);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const bool bare_seconds = in.ConsumeBool();
  const std::string text = in.ConsumeRemainingBytesAsString();
  const milliseconds bare_unit = bare_seconds ? milliseconds(1000) : milliseconds(1);

  std::string error;
  const auto d = parse_duration(text, bare_unit, error);
  if (d.has_value() == !error.empty()) fail("a duration parse must give a value or an error");
  unsigned __int128 expected = 0;
  const bool grammatical = reference(text, bare_unit.count(), expected);
  if (d) {
    if (!grammatical || d->count() < 0 || d->count() > kTenYearsMs) fail("a duration outside the grammar or range");
    if (static_cast<unsigned __int128>(d->count()) != expected) fail("a duration is not count x unit");
    std::string again_error;
    if (parse_duration(format_duration(*d), bare_unit, again_error) != d) fail("format_duration does not round-trip");
  } else if (grammatical && expected <= static_cast<unsigned __int128>(kTenYearsMs)) {
    fail("a valid duration was refused");
  }

  std::string size_error;
  const auto bytes = parse_byte_size(text, size_error);
  if (bytes.has_value() == !size_error.empty()) fail("a size parse must give a value or an error");
  if (bytes) {
    std::string t = text;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(0, 1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    std::size_t i = 0;
    unsigned __int128 count = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') count = count * 10 + static_cast<unsigned>(t[i++] - '0');
    const std::string unit = t.substr(i);
    unsigned __int128 mult = 1;
    if (unit == "KiB" || unit == "KB" || unit == "k")
      mult = 1024;
    else if (unit == "MiB" || unit == "MB" || unit == "m")
      mult = 1024 * 1024;
    else if (unit == "GiB" || unit == "GB")
      mult = 1024ULL * 1024 * 1024;
    if (static_cast<unsigned __int128>(*bytes) != count * mult) fail("a byte size is not count x unit");
  }
  return 0;
}
