#include "http/framing.hpp"

#include <boost/beast/core/string.hpp>
#include <cstdint>
#include <cstring>
#include <optional>

namespace b2w::http {
namespace {

namespace beast_http = boost::beast::http;
using Field = beast_http::field;

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Calls `each` with every element of a comma-separated list, trimmed; empty elements count (the
// callers decide what an empty one means).
template <typename F>
void for_each_element(std::string_view list, F&& each) {
  for (;;) {
    const auto comma = list.find(',');
    each(trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

// 1*DIGIT into a number; nullopt for anything else or a value beyond 64 bits.
std::optional<std::uint64_t> plain_digits(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;  // 19 digits always fit
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

// The codings of every Transfer-Encoding field, in order, as one list.
struct Codings {
  int chunked = 0;
  bool last_is_chunked = false;
  bool other = false;  // a coding we do not decode (gzip...) or an empty element

  void add(std::string_view field_value) {
    for_each_element(field_value, [this](std::string_view coding) {
      if (boost::beast::iequals(coding, "chunked")) {
        ++chunked;
        last_is_chunked = true;
      } else {
        other = true;
        last_is_chunked = false;
      }
    });
  }
  // Exactly "chunked": the only transfer coding this server decodes, once and last. With chunked
  // last, "gzip, chunked" is framed soundly, but the handlers would get gzip bytes as the body.
  bool sound() const { return chunked == 1 && last_is_chunked && !other; }
};

}  // namespace

FramingProblem framing_problem(const beast_http::request_header<>& header, bool saw_obs_fold) {
  if (saw_obs_fold) return FramingProblem::obs_fold;
  int hosts = 0;
  bool host_list = false;
  bool has_te = false;
  Codings codings;
  bool has_length = false;
  bool bad_length = false;
  std::optional<std::uint64_t> length;
  for (const auto& field : header) {
    switch (field.name()) {
      case Field::host:
        ++hosts;
        host_list = host_list || field.value().find(',') != std::string_view::npos;
        break;
      case Field::transfer_encoding:
        has_te = true;
        codings.add(field.value());
        break;
      case Field::content_length:
        has_length = true;
        for_each_element(field.value(), [&](std::string_view element) {
          const auto v = plain_digits(element);
          if (!v || (length && *length != *v)) bad_length = true;
          if (v) length = v;
        });
        break;
      default:
        break;
    }
  }
  if (has_te && header.version() < 11) return FramingProblem::transfer_encoding_http10;
  if (has_te && has_length) return FramingProblem::transfer_encoding_and_content_length;
  if (has_te && !codings.sound()) return FramingProblem::transfer_encoding;
  if (bad_length) return FramingProblem::content_length;
  if (hosts > 1 || host_list) return FramingProblem::host_repeated;
  if (hosts == 0 && header.version() >= 11) return FramingProblem::host_missing;
  return FramingProblem::none;
}

std::string_view framing_message(FramingProblem problem) {
  switch (problem) {
    case FramingProblem::none:
      return "";
    case FramingProblem::obs_fold:
      return "Header lines may not be folded (obs-fold)";
    case FramingProblem::transfer_encoding:
      return "Transfer-Encoding must be exactly chunked";
    case FramingProblem::transfer_encoding_http10:
      return "HTTP/1.0 requests may not carry Transfer-Encoding";
    case FramingProblem::transfer_encoding_and_content_length:
      return "A request may not carry both Transfer-Encoding and Content-Length";
    case FramingProblem::content_length:
      return "Content-Length must be one non-negative integer";
    case FramingProblem::host_missing:
      return "HTTP/1.1 requests must carry a Host header";
    case FramingProblem::host_repeated:
      return "A request must carry exactly one Host header";
  }
  return "The request is malformed";
}

void HeaderBytes::take(const char* data, std::size_t n) {
  if (n == 0) return;
  count += n;
  if (line_ended && is_ows(data[0])) obs_fold = true;
  // memchr over a few hundred bytes: a handful of line feeds, each followed by a name's first letter.
  const char* p = data;
  const char* const end = data + n;
  while (!obs_fold) {
    const auto* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (lf == nullptr || lf + 1 == end) break;
    if (is_ows(lf[1])) obs_fold = true;
    p = lf + 1;
  }
  line_ended = end[-1] == '\n';
}

}  // namespace b2w::http
