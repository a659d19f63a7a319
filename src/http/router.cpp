#include "http/router.hpp"

#include <stdexcept>

namespace b2w::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::string param_name;
  struct Endpoint {
    Handler handler;
    RouteOptions options;
  };
  std::map<Verb, Endpoint> handlers;
  std::string pattern;
};

namespace {

// Splits "/a/b" into {"a","b"}; returns false for paths that are not absolute
// or contain empty segments ("//", trailing "/").
bool split_path(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  if (path.size() == 1) return true;
  std::size_t start = 1;
  for (;;) {
    const auto slash = path.find('/', start);
    const auto seg = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty()) return false;
    out.push_back(seg);
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

bool is_param(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

// Depth-first: literal child first, then the parameter child (backtracking).
const Router::Node* Router::walk(const Node* node, const std::vector<std::string_view>& segments, std::size_t i,
                                 PathParams& params) {
  if (i == segments.size()) return node->handlers.empty() ? nullptr : node;
  const auto seg = segments[i];
  if (auto it = node->literals.find(seg); it != node->literals.end())
    if (const Node* found = walk(it->second.get(), segments, i + 1, params)) return found;
  if (node->param) {
    params.emplace_back(node->param->param_name, seg);
    if (const Node* found = walk(node->param.get(), segments, i + 1, params)) return found;
    params.pop_back();
  }
  return nullptr;
}

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(Verb method, std::string_view pattern, Handler handler, RouteOptions options) {
  std::vector<std::string_view> segments;
  if (!split_path(pattern, segments)) throw std::invalid_argument("bad route pattern: " + std::string(pattern));
  Node* node = root_.get();
  for (auto seg : segments) {
    if (is_param(seg)) {
      const auto name = seg.substr(1, seg.size() - 2);
      if (!node->param) {
        node->param = std::make_unique<Node>();
        node->param->param_name = std::string(name);
      } else if (node->param->param_name != name) {
        throw std::invalid_argument("conflicting parameter names at " + std::string(pattern));
      }
      node = node->param.get();
    } else {
      auto& child = node->literals[std::string(seg)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  if (node->handlers.count(method)) throw std::invalid_argument("duplicate route: " + std::string(pattern));
  node->handlers.emplace(method, Node::Endpoint{std::move(handler), options});
  node->pattern = std::string(pattern);
  routes_.push_back({method, std::string(pattern)});
}

Router::Match Router::match(Verb method, std::string_view path, PathParams& params) const {
  Match result;
  thread_local std::vector<std::string_view> segments;
  if (!split_path(path, segments)) return result;

  const std::size_t base_params = params.size();
  const Node* node = walk(root_.get(), segments, 0, params);
  if (!node) {
    params.resize(base_params);
    return result;
  }
  result.pattern = &node->pattern;
  auto it = node->handlers.find(method);
  if (it == node->handlers.end() && method == Verb::head) it = node->handlers.find(Verb::get);
  if (it != node->handlers.end()) {
    result.handler = &it->second.handler;
    result.options = it->second.options;
    return result;
  }
  result.path_found = true;
  for (const auto& [verb, endpoint] : node->handlers) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += std::string(beast_http::to_string(verb));
    if (verb == Verb::get) result.allow += ", HEAD";
  }
  params.resize(base_params);
  return result;
}

}  // namespace b2w::http
