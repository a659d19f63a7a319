#pragma once
#include <time.h>

#include <chrono>

namespace b2w {

// CLOCK_MONOTONIC_COARSE: a few nanoseconds to read, advancing once per scheduler
// tick (1-4 ms). For deadlines counted in seconds and read on every request.
struct CoarseClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<CoarseClock>;
  static constexpr bool is_steady = true;

  static time_point now() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

}  // namespace b2w
