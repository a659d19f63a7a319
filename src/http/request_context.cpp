#include "http/request_context.hpp"

#include <boost/json/parse.hpp>

#include "http/api_error.hpp"

namespace b2w::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::string_view RequestContext::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

std::optional<std::string> RequestContext::query_param(std::string_view name) const {
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const auto pair = query.substr(pos, amp - pos);
    const auto eq = pair.find('=');
    if (!pair.empty() && percent_decode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    pos = amp + 1;
  }
  return std::nullopt;
}

boost::json::value RequestContext::json_body() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body(), ec);
  if (ec) throw ApiError::bad_request("invalid_json", "The request body is not valid JSON");
  if (!value.is_object()) throw ApiError::bad_request("invalid_json", "The request body must be a JSON object");
  return value;
}

}  // namespace b2w::http
