#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

// Fundist OneWallet's `hmac` field (casino/README.md, "Fundist: verified and assumed"):
//   key     = SHA-256(secret), the 32 raw bytes
//   message = the values of every field but `hmac`, in byte order of their names, with no separator; an
//             array (roundinfo's actions[]) is its elements one after another, an object its values in the
//             order of their names; true is "1", false and null are ""
//   hmac    = lowercase hex HMAC-SHA-256(key, message)
// Our replies are signed the same way.
namespace b2w::casino::fundist {

// The message the hmac is computed over (exposed for the tests' golden vectors).
std::string signing_message(const boost::json::object& fields);
std::string sign(const boost::json::object& fields, std::string_view secret);
// Constant-time comparison with the body's `hmac` (a string field); false when it is missing.
bool signature_valid(const boost::json::object& fields, std::string_view secret);

}  // namespace b2w::casino::fundist
