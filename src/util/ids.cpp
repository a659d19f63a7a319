#include "util/ids.hpp"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <stdexcept>

#include "util/digest.hpp"

namespace b2w {
namespace {

void fill_random(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
}

}  // namespace

std::string new_id(std::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::array<unsigned char, 16> bytes{};
  for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  fill_random(bytes.data() + 6, 10);
  // 128 bits -> 26 base32 characters, most significant first.
  std::string out(prefix);
  out += '_';
  // Bit i of the 130-bit big-endian number (two leading zero bits, then the 128 bits).
  auto bit = [&](int i) -> int {
    const int b = i - 2;
    if (b < 0) return 0;
    return (bytes[static_cast<std::size_t>(b / 8)] >> (7 - b % 8)) & 1;
  };
  for (int c = 0; c < 26; ++c) {
    int v = 0;
    for (int k = 0; k < 5; ++k) v = (v << 1) | bit(c * 5 + k);
    out += kAlphabet[v];
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  fill_random(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  return to_hex(raw);
}

}  // namespace b2w
