#include "domain/name_match.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace b2w::domain {

namespace {

// Honorifics and titles Nigerian bank records and sign-up forms put before names: never a name's own word.
constexpr std::array<std::string_view, 19> kTitles{"MR",   "MRS", "MS",     "MISS",   "DR",    "PROF",   "CHIEF",
                                                   "ENGR", "ALH", "ALHAJI", "ALHAJA", "HAJIA", "PASTOR", "REV",
                                                   "BARR", "HRH", "SIR",    "MADAM",  "OBA"};

// One decoded code point and the bytes it took; an invalid sequence is one byte of code point 0xFFFD.
std::pair<std::uint32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > s.size()) return {0xFFFD, 1};
  if (length == 1) return {b, 1};
  std::uint32_t cp = b & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 0x2) return {0xFFFD, 1};
    cp = (cp << 6) | (c & 0x3F);
  }
  return {cp, length};
}

// The base letter of a Latin letter with a diacritic (upper case), 0 when `cp` is none we fold.
char folded(std::uint32_t cp) {
  // U+00C0..U+00FF, upper and lower case alike; 0 for the signs (×, ÷) and letters without one base (Æ, ß, Þ).
  static constexpr char kLatin1[] = "AAAAAA\0CEEEEIIII\0NOOOOO\0OUUUUY\0\0AAAAAA\0CEEEEIIII\0NOOOOO\0OUUUUY\0Y";
  static_assert(sizeof kLatin1 == 64 + 1);
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  switch (cp) {
    case 0x1EB8:  // Ẹ ẹ (Yoruba)
    case 0x1EB9:
      return 'E';
    case 0x1ECC:  // Ọ ọ
    case 0x1ECD:
      return 'O';
    case 0x1E62:  // Ṣ ṣ
    case 0x1E63:
      return 'S';
    case 0x0143:  // Ń ń
    case 0x0144:
    case 0x01F8:  // Ǹ ǹ
    case 0x01F9:
      return 'N';
    default:
      return 0;
  }
}

bool combining_mark(std::uint32_t cp) {
  return cp >= 0x0300 && cp <= 0x036F;
}

}  // namespace

std::vector<std::string> name_tokens(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  auto end_word = [&] {
    const bool title = std::find(kTitles.begin(), kTitles.end(), word) != kTitles.end();
    if (word.size() >= 2 && !title && std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < name.size();) {
    const auto [cp, length] = decode(name, i);
    i += length;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
      word += static_cast<char>(cp);
    } else if (cp >= 'a' && cp <= 'z') {
      word += static_cast<char>(cp - 'a' + 'A');
    } else if (cp == '\'' || cp == '.' || cp == 0x2019 || cp == 0x2018 || combining_mark(cp)) {
      // Inside a word: O'Neil, St.John, Ad´e; a combining accent follows its letter.
    } else if (const char base = folded(cp)) {
      word += base;
    } else if (cp >= 0x100 && cp != 0xFFFD && !(cp >= 0x2000 && cp <= 0x206F)) {
      // A letter of another script: kept as written (it can still match the same letters).
      word.append(name.substr(i - length, length));
    } else {
      end_word();
    }
  }
  end_word();
  return words;
}

bool names_match(std::string_view player_name, std::string_view account_name) {
  const auto player = name_tokens(player_name);
  if (player.empty()) return false;
  const auto account = name_tokens(account_name);
  std::size_t common = 0;
  for (const auto& word : player)
    if (std::find(account.begin(), account.end(), word) != account.end()) ++common;
  return common >= std::min<std::size_t>(2, player.size());
}

}  // namespace b2w::domain
