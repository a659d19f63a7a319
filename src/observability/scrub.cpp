#include "observability/scrub.hpp"

namespace b2w::scrub {

std::string without_long_numbers(std::string_view text) {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && is_digit(text[j])) ++j;
    if (j - i >= 10) {
      out += "[number]";
    } else if (j > i) {
      out.append(text.substr(i, j - i));
    } else {
      out += text[i];
      ++j;
    }
    i = j;
  }
  return out;
}

}  // namespace b2w::scrub
