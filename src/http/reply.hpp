#pragma once
#include <string>
#include <string_view>

#include "http/types.hpp"
#include "http/upgrade.hpp"

namespace b2w::http {

// A handled request, ready for the wire: the handler's response and what the server writes around
// it. The framing (Content-Length, Connection) and the headers every answer carries (X-Request-Id,
// X-Content-Type-Options) are written by write_head(), not kept as fields: Beast allocates and
// indexes each field, which cost as much as the rest of the health-check's user-space work.
struct Reply {
  Response response;
  std::string request_id;
  bool omit_body = false;  // the answer to HEAD: the body's length, not the body
  // A 101 from a route that takes the connection over: the server hands the socket to it instead of
  // writing the response.
  UpgradeHandler upgrade;

  // What follows the head: the body, or nothing for HEAD and for 1xx, 204, 205 and 304.
  std::string_view body_on_wire() const;
};

// The status line and header block of `reply` into `out` (cleared first). Content-Length is the
// body's (none for 1xx, 204 and 304; 0 for 205); Connection says close when `keep_alive` is false, keep-alive
// to an HTTP/1.0 client otherwise. Fields of the response that would contradict these
// (Content-Length, Connection, Transfer-Encoding) are not written.
void write_head(const Reply& reply, bool keep_alive, std::string& out);

}  // namespace b2w::http
