#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace b2w::domain {

// What kind of failure an Error is; the API maps each kind to one HTTP status (api/errors.cpp), so a
// service says what went wrong and never how the web answers it.
enum class ErrorKind {
  malformed,        // the input cannot be read at all (not JSON, wrong shape)
  invalid,          // the input is read but breaks a rule (validation, limits, funds)
  unauthenticated,  // no valid credentials
  forbidden,        // valid credentials without the right
  not_found,        // no such thing (or not the caller's)
  conflict,         // the thing's state does not allow this now
  rate_limited,     // too many attempts; retry_after says when to try again
  upstream_failed,  // a provider we depend on refused or failed
  unavailable,      // we cannot answer now; retry shortly
};

std::string_view to_string(ErrorKind kind);

// A failure with a stable, documented code (api/openapi.json lists them), a message for people,
// optional details ({"field","problem"} for validation, or richer objects) and, for rate_limited,
// how many seconds until a retry can succeed.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string code, const std::string& message);

  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const boost::json::array& details() const { return details_; }
  std::optional<std::int64_t> retry_after_seconds() const { return retry_after_; }

  Error& detail(std::string field, std::string problem);
  Error& detail(boost::json::object detail);
  Error& retry_after(std::int64_t seconds);

  static Error not_found(const std::string& message = "The requested resource was not found");
  // invalid / validation_error, the code of every input-rule failure that has no code of its own.
  static Error validation(const std::string& message = "The request is not valid");
  static Error malformed(std::string code, const std::string& message);

 private:
  ErrorKind kind_;
  std::string code_;
  boost::json::array details_;
  std::optional<std::int64_t> retry_after_;
};

}  // namespace b2w::domain
