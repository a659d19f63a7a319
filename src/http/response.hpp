#pragma once
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace b2w::http {

// A response with a JSON body and the usual headers.
Response json_response(Status status, const boost::json::value& body);
// A response whose JSON body is already serialized.
Response raw_json_response(Status status, std::string body);
// The one error shape: {"error":{"code","message","request_id","details"?}}.
Response error_response(Status status, std::string_view code, std::string_view message, std::string_view request_id,
                        const boost::json::array* details = nullptr);

}  // namespace b2w::http
