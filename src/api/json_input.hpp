#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace b2w::api {

// Collects field problems so one 422 names them all.
class Validation {
 public:
  void fail(std::string field, std::string problem) {
    error_.detail(std::move(field), std::move(problem));
    failed_ = true;
  }
  // Throws the collected 422 validation_error if anything failed.
  void check() const {
    if (failed_) throw error_;
  }
  // A string field: nullopt when absent or null; a non-string is recorded as a problem.
  std::optional<std::string> string(const boost::json::object& body, const char* field, bool required);

 private:
  domain::Error error_ = domain::Error::validation();
  bool failed_ = false;
};

// A money field: JSON integers only, in kobo (5000.0, "5000" and 50.5 are not amounts). Nothing when
// absent or not an integer; an integer beyond int64 comes back as INT64_MAX, out of every range.
std::optional<std::int64_t> kobo(const boost::json::object& body, std::string_view field);

}  // namespace b2w::api
