#pragma once
#include <exception>
#include <optional>

#include "domain/error.hpp"
#include "http/api_error.hpp"

namespace b2w::api {

// The one place a domain error's kind becomes an HTTP status (and its retry hint a Retry-After).
// The code, message and details go on the wire unchanged.
http::ApiError to_api_error(const domain::Error& error);
// For http::Pipeline: a domain::Error translated, anything else nothing.
std::optional<http::ApiError> translate(const std::exception& failure);

}  // namespace b2w::api
