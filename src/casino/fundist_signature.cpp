#include "casino/fundist_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <stdexcept>
#include <vector>

#include "util/digest.hpp"

namespace b2w::casino::fundist {
namespace {

void append_value(const boost::json::value& v, std::string& out);

// An object's values in the byte order of its names.
void append_object(const boost::json::object& o, std::string& out, std::string_view skip = {}) {
  std::vector<std::string_view> names;
  names.reserve(o.size());
  for (const auto& field : o)
    if (field.key() != skip) names.push_back(field.key());
  std::sort(names.begin(), names.end());
  for (const auto name : names) append_value(o.at(name), out);
}

void append_value(const boost::json::value& v, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::string:
      out += v.get_string();
      break;
    case boost::json::kind::bool_:
      if (v.get_bool()) out += '1';  // PHP's string of true; false is ""
      break;
    case boost::json::kind::null:
      break;
    case boost::json::kind::int64:
      out += std::to_string(v.get_int64());
      break;
    case boost::json::kind::uint64:
      out += std::to_string(v.get_uint64());
      break;
    case boost::json::kind::double_:
      // Its text as sent is gone; the shortest form may differ ("10.50"), which only fails the check.
      out += boost::json::serialize(v);
      break;
    case boost::json::kind::array:
      for (const auto& element : v.get_array()) append_value(element, out);
      break;
    case boost::json::kind::object:
      append_object(v.get_object(), out);
      break;
  }
}

}  // namespace

std::string signing_message(const boost::json::object& fields) {
  std::string out;
  append_object(fields, out, "hmac");
  return out;
}

std::string sign(const boost::json::object& fields, std::string_view secret) {
  const std::string key = sha256(secret);
  return to_hex(hmac_sha256(key, signing_message(fields)));
}

bool signature_valid(const boost::json::object& fields, std::string_view secret) {
  const auto* given = fields.if_contains("hmac");
  if (!given || !given->is_string() || secret.empty()) return false;
  const std::string expected = sign(fields, secret);
  const auto& text = given->get_string();
  return text.size() == expected.size() && CRYPTO_memcmp(text.data(), expected.data(), expected.size()) == 0;
}

}  // namespace b2w::casino::fundist
