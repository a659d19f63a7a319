#pragma once
#include <cstdint>
#include <optional>

#include "http/request_context.hpp"

namespace b2w::api {

// The query parameter `name` as an RFC 3339 time (epoch microseconds); nullopt when absent; 422
// validation_error naming it when it is not one.
std::optional<std::int64_t> time_param(const http::RequestContext& ctx, const char* name);

}  // namespace b2w::api
