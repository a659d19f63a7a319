#pragma once
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "http/api_error.hpp"

namespace b2w::api {

// Collects field problems so one 422 names them all.
class Validation {
 public:
  void fail(std::string field, std::string problem) { error_.detail(std::move(field), std::move(problem)); failed_ = true; }
  // Throws the collected 422 validation_error if anything failed.
  void check() const {
    if (failed_) throw error_;
  }
  // A string field: nullopt when absent or null; a non-string is recorded as a problem.
  std::optional<std::string> string(const boost::json::object& body, const char* field, bool required);

 private:
  http::ApiError error_ = http::ApiError::validation();
  bool failed_ = false;
};

}  // namespace b2w::api
