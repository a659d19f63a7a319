#include "http/response.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace b2w::http {

Response raw_json_response(Status status, std::string body) {
  Response res{status, 11};
  res.set(Field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

Response json_response(Status status, const boost::json::value& body) {
  return raw_json_response(status, boost::json::serialize(body));
}

Response error_response(Status status, std::string_view code, std::string_view message, std::string_view request_id,
                        const boost::json::array* details) {
  boost::json::object error{{"code", code}, {"message", message}, {"request_id", request_id}};
  if (details && !details->empty()) error["details"] = *details;
  auto res = json_response(status, boost::json::object{{"error", std::move(error)}});
  res.set(Field::cache_control, "no-store");
  return res;
}

}  // namespace b2w::http
