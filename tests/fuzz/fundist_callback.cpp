// Fundist OneWallet callback bodies through the adapter the callback route uses (casino/fundist.hpp), signed
// and unsigned, and the replies it writes.
//
// Properties:
//  - a body is read only with a valid hmac: as sent (the fuzzer's bytes) it is rejected unless it happens to
//    carry the right one; a JSON object re-sent with its hmac computed is read or rejected for a field, never
//    for its signature (unless it holds a floating-point number, whose text as sent parsing does not keep);
//  - what is read is within the contract: a user id with our prefix; a debit or credit has a tid of 1 to 32
//    characters, an amount in [0, kMaxPosting] that reads back exactly from its 2-decimal text, and never
//    reverses itself;
//  - every reply written for it is a JSON object whose hmac verifies;
//  - reading is deterministic.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "casino/fundist.hpp"
#include "casino/fundist_signature.hpp"
#include "domain/decimal_amount.hpp"

namespace {

using namespace b2w;
using namespace b2w::casino;

constexpr std::string_view kSecret = "fuzz-fundist-secret";

// A floating-point number's text as sent is lost in parsing (the hmac then fails, as documented in
// casino/fundist_signature.cpp): such bodies are left out of the "never rejected for its signature" property.
bool has_double(const boost::json::value& v) {
  if (v.is_double()) return true;
  if (v.is_array())
    for (const auto& e : v.get_array())
      if (has_double(e)) return true;
  if (v.is_object())
    for (const auto& f : v.get_object())
      if (has_double(f.value())) return true;
  return false;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

void check_call(const WalletCall& call) {
  if (call.user_id.rfind("usr_", 0) != 0 && call.type != CallType::ping) fail("a user id without our prefix");
  if (call.type == CallType::debit || call.type == CallType::credit) {
    if (call.tid.empty() || call.tid.size() > 32) fail("a tid outside 1..32 characters");
    if (call.amount < 0 || call.amount > domain::kMaxPosting) fail("an amount outside [0, kMaxPosting]");
    if (domain::parse_decimal_naira(domain::format_decimal_naira(call.amount)) != call.amount)
      fail("an amount that does not read back from its text");
    if (call.rollback_of == call.tid) fail("a request that reverses itself");
  }
  for (const WalletReply& reply : {WalletReply{}, WalletReply{.balance = call.amount},
                                   WalletReply{.refusal = WalletRefusal::insufficient_funds, .balance = -call.amount},
                                   WalletReply{.refusal = WalletRefusal::unknown_user}}) {
    boost::system::error_code ec;
    const auto written = boost::json::parse(fundist::render_reply(call, reply, kSecret), ec);
    if (ec || !written.is_object()) fail("a reply that is not a JSON object");
    if (!fundist::signature_valid(written.get_object(), kSecret)) fail("a reply whose hmac does not verify");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto as_sent = fundist::read_callback(body, kSecret);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    auto& fields = parsed.get_object();
    const bool carries_valid_hmac = fundist::signature_valid(fields, kSecret);
    if (!carries_valid_hmac && std::holds_alternative<WalletCall>(as_sent)) fail("read without a valid hmac");
    fields["hmac"] = fundist::sign(fields, kSecret);
    const std::string resigned = boost::json::serialize(fields);
    const auto read = fundist::read_callback(resigned, kSecret);
    if (const auto* rejected = std::get_if<fundist::Rejected>(&read)) {
      if (rejected->error == "Invalid HMAC" && !has_double(parsed))
        fail("a body signed with the secret rejected for its signature");
    } else {
      check_call(std::get<WalletCall>(read));
      const auto again = fundist::read_callback(resigned, kSecret);
      if (!std::holds_alternative<WalletCall>(again) ||
          std::get<WalletCall>(again).tid != std::get<WalletCall>(read).tid ||
          std::get<WalletCall>(again).amount != std::get<WalletCall>(read).amount)
        fail("reading is not deterministic");
    }
  } else if (std::holds_alternative<WalletCall>(as_sent)) {
    fail("read a body that is not a JSON object");
  }
  if (const auto* call = std::get_if<WalletCall>(&as_sent)) check_call(*call);
  return 0;
}
