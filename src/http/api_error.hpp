#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "http/types.hpp"

namespace b2w::http {

// A failure with a stable, documented code. Handlers and domain code throw it;
// the pipeline turns it into {"error":{"code","message","request_id","details"?}}.
class ApiError : public std::runtime_error {
 public:
  ApiError(Status status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}

  Status status() const { return status_; }
  const std::string& code() const { return code_; }
  const boost::json::array& details() const { return details_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

  // Validation details: {"field": ..., "problem": ...}.
  ApiError& detail(std::string field, std::string problem);
  // A detail with more than a field and a problem (e.g. the current odds of a leg).
  ApiError& detail(boost::json::object detail) {
    details_.push_back(std::move(detail));
    return *this;
  }
  ApiError& header(Field name, std::string value) {
    headers_.emplace_back(std::string(beast_http::to_string(name)), std::move(value));
    return *this;
  }
  ApiError& header(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  static ApiError not_found(const std::string& message = "The requested resource was not found");
  static ApiError bad_request(std::string code, const std::string& message);
  static ApiError validation(const std::string& message = "The request is not valid");

 private:
  Status status_;
  std::string code_;
  boost::json::array details_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace b2w::http
