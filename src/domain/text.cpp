#include "domain/text.hpp"

#include <cstdint>

namespace b2w::domain {
namespace {

// Decodes one UTF-8 code point at s[i] (advancing i); nullopt for an invalid, overlong or surrogate sequence.
std::optional<std::uint32_t> next_code_point(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead >> 5) == 0x6) {
    len = 2, cp = lead & 0x1f;
  } else if ((lead >> 4) == 0xe) {
    len = 3, cp = lead & 0x0f;
  } else if ((lead >> 3) == 0x1e) {
    len = 4, cp = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 0x2) return std::nullopt;
    cp = (cp << 6) | (c & 0x3f);
  }
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
  i += len;
  return cp;
}

bool refused(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)                // control characters
         || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)  // bidi embeddings, overrides, isolates
         || cp == '<' || cp == '>';
}

}  // namespace

std::optional<std::string> display_text_problem(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  bool blank = true;
  for (std::size_t i = 0; i < text.size();) {
    const auto cp = next_code_point(text, i);
    if (!cp) return "must be valid UTF-8";
    if (refused(*cp)) return "must not contain control characters, bidirectional overrides, '<' or '>'";
    if (*cp != ' ') blank = false;
    ++chars;
  }
  if (blank) return "must not be empty";
  if (chars > max_chars) return "must be at most " + std::to_string(max_chars) + " characters";
  return std::nullopt;
}

}  // namespace b2w::domain
