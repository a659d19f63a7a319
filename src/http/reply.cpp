#include "http/reply.hpp"

#include <charconv>

namespace b2w::http {
namespace {

void append_number(std::string& out, std::size_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

bool is_framing(Field name) {
  return name == Field::content_length || name == Field::connection || name == Field::transfer_encoding;
}

// What a status allows after the head (RFC 9110 15.2, 15.3.5, 15.3.6, 15.4.5).
enum class BodyRule { none, empty, any };  // none: no length either; empty: Content-Length: 0
BodyRule body_rule(Status status) {
  if (beast_http::to_status_class(status) == beast_http::status_class::informational || status == Status::no_content ||
      status == Status::not_modified)
    return BodyRule::none;
  return status == Status::reset_content ? BodyRule::empty : BodyRule::any;
}

}  // namespace

std::string_view Reply::body_on_wire() const {
  return omit_body || body_rule(response.result()) != BodyRule::any ? std::string_view()
                                                                    : std::string_view(response.body());
}

void write_head(const Reply& reply, bool keep_alive, std::string& out) {
  const Response& res = reply.response;
  out.clear();
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  append_number(out, res.result_int());
  out += ' ';
  const auto reason = beast_http::obsolete_reason(res.result());
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& field : res) {
    if (is_framing(field.name())) continue;
    out.append(field.name_string().data(), field.name_string().size());
    out += ": ";
    out.append(field.value().data(), field.value().size());
    out += "\r\n";
  }
  switch (body_rule(res.result())) {
    case BodyRule::none:
      break;
    case BodyRule::empty:
      out += "Content-Length: 0\r\n";
      break;
    case BodyRule::any:
      out += "Content-Length: ";
      append_number(out, res.body().size());  // the body's, also when HEAD leaves it off the wire
      out += "\r\n";
      break;
  }
  if (!keep_alive)
    out += "Connection: close\r\n";
  else if (res.version() == 10)
    out += "Connection: keep-alive\r\n";
  out += "X-Request-Id: ";
  out += reply.request_id;
  out += "\r\nX-Content-Type-Options: nosniff\r\n\r\n";
}

}  // namespace b2w::http
