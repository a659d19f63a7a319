// BOOST_ASSERT in the fuzz build (B2W_FUZZ defines BOOST_ENABLE_ASSERT_HANDLER): a failed assertion
// is a finding and aborts, so libFuzzer keeps the input, except for assertions that are known to be
// wrong in Boost 1.81 and fixed upstream. Those go on as a release build (NDEBUG) does.
#include <boost/assert.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// Beast's parser asserts that a final chunk's line is seen with at least 5 bytes buffered, but with
// no chunk before it and a trailer arriving in small reads 4 is enough ("0\r\nX"); the code after the
// assertion handles it. Fixed in Beast by boostorg/beast pull request 2861 (Boost 1.86).
bool known_wrong(const char* expr, const char* file) {
  const char* const parser = "beast/http/impl/basic_parser.ipp";
  const std::size_t n = std::strlen(file), m = std::strlen(parser);
  return std::strcmp(expr, "n >= 5") == 0 && n >= m && std::strcmp(file + n - m, parser) == 0;
}

}  // namespace

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (known_wrong(expr, file)) return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  if (known_wrong(expr, file)) return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost
