#include "http/api_error.hpp"

#include <boost/json/object.hpp>

namespace b2w::http {

ApiError& ApiError::detail(std::string field, std::string problem) {
  details_.push_back(boost::json::object{{"field", std::move(field)}, {"problem", std::move(problem)}});
  return *this;
}

ApiError ApiError::not_found(const std::string& message) {
  return {Status::not_found, "not_found", message};
}

ApiError ApiError::bad_request(std::string code, const std::string& message) {
  return {Status::bad_request, std::move(code), message};
}

ApiError ApiError::validation(const std::string& message) {
  return {Status::unprocessable_entity, "validation_error", message};
}

}  // namespace b2w::http
