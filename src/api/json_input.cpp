#include "api/json_input.hpp"

#include <limits>

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

std::optional<std::int64_t> kobo(const boost::json::object& body, std::string_view field) {
  const auto* v = body.if_contains(field);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64()) return std::numeric_limits<std::int64_t>::max();
  return std::nullopt;
}

}  // namespace b2w::api
