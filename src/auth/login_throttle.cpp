#include "auth/login_throttle.hpp"

#include <algorithm>

namespace b2w::auth {

std::chrono::milliseconds LoginThrottle::hold_after(std::int64_t failures) const {
  if (failures < free_failures) return std::chrono::milliseconds(0);
  // base * 2^(failures - free_failures), without overflowing however many failures there were.
  auto hold = base;
  for (std::int64_t i = free_failures; i < failures && hold < max; ++i) hold *= 2;
  return std::min(hold, max);
}

}  // namespace b2w::auth
