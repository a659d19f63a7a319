#include "observability/trace.hpp"

namespace b2w::trace {
namespace {

thread_local const Trace* t_current = nullptr;

bool is_hex(std::string_view s, std::size_t size) {
  if (s.size() != size) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

bool all_zero(std::string_view s) {
  return s.find_first_not_of('0') == std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.'))
      return false;
  return true;
}

// "1-67891233-abcdef012345678912345678"
bool is_amzn_root(std::string_view root) {
  return root.size() == 35 && root.substr(0, 2) == "1-" && is_hex(root.substr(2, 8), 8) && root[10] == '-' &&
         is_hex(root.substr(11), 24);
}

// The Root of a well-formed X-Amzn-Trace-Id, else empty.
std::string_view amzn_root(std::string_view header) {
  if (header.empty() || header.size() > kMaxHeader) return {};
  std::string_view root;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    const auto end = std::min(header.find(';', pos), header.size());
    const auto part = header.substr(pos, end - pos);
    const auto eq = part.find('=');
    if (eq == std::string_view::npos || !is_token(part.substr(0, eq)) || !is_token(part.substr(eq + 1))) return {};
    if (part.substr(0, eq) == "Root") {
      if (!root.empty() || !is_amzn_root(part.substr(eq + 1))) return {};
      root = part.substr(eq + 1);
    }
    pos = end + 1;
  }
  return root;
}

// The trace-id of a well-formed traceparent (version 00's layout; later versions may append "-..." fields).
std::string_view traceparent_id(std::string_view header) {
  if (header.size() < 55 || header.size() > kMaxHeader) return {};
  const auto version = header.substr(0, 2);
  if (!is_hex(version, 2) || version == "ff" || version == "FF" || header[2] != '-' || header[35] != '-' ||
      header[52] != '-')
    return {};
  const auto id = header.substr(3, 32);
  const auto parent = header.substr(36, 16);
  if (!is_hex(id, 32) || all_zero(id) || !is_hex(parent, 16) || all_zero(parent) || !is_hex(header.substr(53, 2), 2))
    return {};
  if (header.size() > 55 && (version == "00" || header[55] != '-' || !is_token(header.substr(56)))) return {};
  return id;
}

}  // namespace

Trace from_headers(std::string_view amzn_trace_id, std::string_view traceparent) {
  Trace trace;
  if (const auto root = amzn_root(amzn_trace_id); !root.empty()) {
    trace.id = std::string(root);
    trace.amzn = std::string(amzn_trace_id);
  }
  if (const auto id = traceparent_id(traceparent); !id.empty()) {
    if (trace.id.empty()) trace.id = std::string(id);
    trace.traceparent = std::string(traceparent);
  }
  return trace;
}

const Trace* current() {
  return t_current;
}

Scope::Scope(const Trace* trace) : previous_(t_current) {
  t_current = trace;
}

Scope::~Scope() {
  t_current = previous_;
}

}  // namespace b2w::trace
