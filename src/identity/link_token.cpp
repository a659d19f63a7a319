#include "identity/link_token.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "util/digest.hpp"
#include "util/ids.hpp"

namespace b2w::identity {

std::string new_link_token() {
  return random_hex(32);
}

std::string link_token_hash(std::string_view token) {
  return to_hex(sha256(token));
}

bool is_link_token(std::string_view token) {
  return token.size() == 64 &&
         std::all_of(token.begin(), token.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string link_mail_params(std::string_view web_app_url, std::string_view page, std::string_view token) {
  std::string base(web_app_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string link = base + "/" + std::string(page) + "?token=" + std::string(token);
  return boost::json::serialize(boost::json::object{{"link", link}});
}

}  // namespace b2w::identity
