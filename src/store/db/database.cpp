#include "store/db/database.hpp"

#include <charconv>

namespace b2w::store {

const std::string& Row::str(std::size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) throw QueryError("column " + std::to_string(i) + " is NULL");
  return *cell;
}

std::int64_t Row::i64(std::size_t i) const {
  const auto& text = str(i);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size())
    throw QueryError("column " + std::to_string(i) + " is not an integer");
  return value;
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

const Row& Result::one() const {
  if (rows.size() != 1) throw QueryError("expected one row, got " + std::to_string(rows.size()));
  return rows.front();
}

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string parameter_list(std::size_t first, std::size_t count) {
  std::string out;
  out.reserve(count * 6);
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    out += '$';
    out += std::to_string(first + i);
  }
  return out;
}

std::string value_rows(std::size_t rows, std::size_t columns) {
  std::string out;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    out += parameter_list(r * columns + 1, columns);
    out += ')';
  }
  return out;
}

}  // namespace b2w::store
