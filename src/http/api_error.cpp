#include "http/api_error.hpp"

#include <boost/json/object.hpp>

namespace b2w::http {

ApiError& ApiError::detail(std::string field, std::string problem) {
  details_.push_back(boost::json::object{{"field", std::move(field)}, {"problem", std::move(problem)}});
  return *this;
}

ApiError ApiError::not_found(std::string message) {
  return {Status::not_found, "not_found", std::move(message)};
}

ApiError ApiError::bad_request(std::string code, std::string message) {
  return {Status::bad_request, std::move(code), std::move(message)};
}

ApiError ApiError::validation(std::string message) {
  return {Status::unprocessable_entity, "validation_error", std::move(message)};
}

}  // namespace b2w::http
