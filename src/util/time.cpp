#include "util/time.hpp"

#include <cstdio>
#include <ctime>

namespace b2w {

std::string rfc3339(std::int64_t micros) {
  std::int64_t secs = micros / 1'000'000;
  std::int64_t rem = micros % 1'000'000;
  if (rem < 0) {
    rem += 1'000'000;
    --secs;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(rem / 1000));
  return buf;
}

}  // namespace b2w
