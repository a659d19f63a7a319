// JWT (security/jwt.hpp): arbitrary tokens, tokens we signed for arbitrary claims, and those
// tokens tampered with.
//
// Properties:
//  - a token we signed verifies, within its lifetime, to exactly the claims we signed (round trip),
//    and only with its own kind's signer;
//  - a signed token changed in any way (a byte replaced, inserted or removed, a segment swapped
//    for fuzzer bytes, the header set to alg "none") never verifies to other claims;
//  - arbitrary bytes never verify (the fuzzer cannot compute an HMAC under the key).
#include "security/jwt.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "security/base64url.hpp"

namespace {

using namespace b2w::security;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

bool same(const Claims& a, const Claims& b) {
  return a.sub == b.sub && a.role == b.role && a.jti == b.jti && a.family == b.family && a.iat == b.iat &&
         a.exp == b.exp && a.kind == b.kind;
}

// Claims are ids and roles we make: text. A string that is not UTF-8 cannot survive JSON, so the
// round trip is checked on ASCII (control characters included: JSON escapes them).
std::string ascii(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(ch & 0x7f);
  return s;
}

const JwtSigner& access_signer() {
  static const JwtSigner s(std::string(40, 'k'), TokenKind::access);
  return s;
}
const JwtSigner& refresh_signer() {
  static const JwtSigner s(std::string(40, 'r'), TokenKind::refresh);
  return s;
}

std::string tamper(FuzzedDataProvider& in, std::string token) {
  const auto dot1 = token.find('.');
  const auto dot2 = token.rfind('.');
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0: {  // replace one byte
      const auto at = in.ConsumeIntegralInRange<std::size_t>(0, token.size() - 1);
      token[at] = static_cast<char>(in.ConsumeIntegral<std::uint8_t>());
      break;
    }
    case 1:  // insert bytes
      token.insert(in.ConsumeIntegralInRange<std::size_t>(0, token.size()), in.ConsumeRandomLengthString(8));
      break;
    case 2: {  // remove bytes
      const auto at = in.ConsumeIntegralInRange<std::size_t>(0, token.size() - 1);
      token.erase(at, in.ConsumeIntegralInRange<std::size_t>(1, 8));
      break;
    }
    case 3: {  // a segment replaced by fuzzer bytes, encoded as a real client would
      const auto segment = base64url_encode(in.ConsumeRandomLengthString(256));
      const int which = in.ConsumeIntegralInRange<int>(0, 2);
      if (which == 0)
        token = segment + token.substr(dot1);
      else if (which == 1)
        token = token.substr(0, dot1 + 1) + segment + token.substr(dot2);
      else
        token = token.substr(0, dot2 + 1) + segment;
      break;
    }
    default:  // the "none" algorithm, with or without the signature
      token = base64url_encode(R"({"alg":"none","typ":"JWT"})") + token.substr(dot1, dot2 - dot1 + 1) +
              (in.ConsumeBool() ? token.substr(dot2 + 1) : std::string());
      break;
  }
  return token;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const std::int64_t now = 1'750'000'000;
  switch (in.ConsumeIntegralInRange<int>(0, 1)) {
    case 0: {  // arbitrary bytes
      const auto token = in.ConsumeRemainingBytesAsString();
      if (std::holds_alternative<Claims>(access_signer().verify(token, now)) ||
          std::holds_alternative<Claims>(refresh_signer().verify(token, now)))
        fail("an arbitrary token verified");
      break;
    }
    default: {  // signed, then checked and tampered with
      const bool refresh = in.ConsumeBool();
      const auto& signer = refresh ? refresh_signer() : access_signer();
      const auto& other = refresh ? access_signer() : refresh_signer();
      Claims c;
      c.sub = ascii(in.ConsumeRandomLengthString(64));
      c.role = ascii(in.ConsumeRandomLengthString(16));
      c.jti = ascii(in.ConsumeRandomLengthString(32));
      if (refresh) c.family = ascii(in.ConsumeRandomLengthString(32));
      c.iat = in.ConsumeIntegral<std::int64_t>();
      c.exp = in.ConsumeIntegral<std::int64_t>();
      c.kind = refresh ? TokenKind::refresh : TokenKind::access;
      const auto token = signer.sign(c);
      // The clock: any time within ±2^62 s (a real clock is never near the ends of int64; the claims may be).
      const auto at = in.ConsumeIntegralInRange<std::int64_t>(-(std::int64_t{1} << 62), std::int64_t{1} << 62);
      const auto verified = signer.verify(token, at);
      // Within its lifetime (with the leeway) and small enough (4 KiB), a token must verify.
      constexpr __int128 leeway = JwtSigner::kLeewaySeconds;
      const bool live = __int128{at} <= __int128{c.exp} + leeway && __int128{c.iat} <= __int128{at} + leeway;
      if (const auto* got = std::get_if<Claims>(&verified)) {
        if (!same(*got, c)) fail("a signed token verified to other claims");
        if (!live) fail("a token outside its lifetime verified");
      } else if (live && token.size() <= 4096) {
        std::fprintf(stderr, "error %d for iat %lld exp %lld at %lld: %s\n",
                     static_cast<int>(std::get<TokenError>(verified)), static_cast<long long>(c.iat),
                     static_cast<long long>(c.exp), static_cast<long long>(at), token.c_str());
        fail("a live token we signed did not verify");
      }
      if (std::holds_alternative<Claims>(other.verify(token, at))) fail("a token verified as the other kind");
      const auto tampered = tamper(in, token);
      if (tampered != token) {
        const auto result = signer.verify(tampered, at);
        if (const auto* got = std::get_if<Claims>(&result); got && !same(*got, c))
          fail("a tampered token verified to other claims");
      }
      break;
    }
  }
  return 0;
}
