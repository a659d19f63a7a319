#include "api/json_input.hpp"

namespace b2w::api {

std::optional<std::string> Validation::string(const boost::json::object& body, const char* field, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->value().is_null()) {
    if (required) fail(field, "is required");
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    fail(field, "must be a string");
    return std::nullopt;
  }
  return std::string(it->value().as_string());
}

}  // namespace b2w::api
