#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_context.hpp"
#include "http/types.hpp"

namespace b2w::http {

using Handler = std::function<Awaitable<Response>(RequestContext&)>;

// What the pipeline adds to a route's answers, so a route needs no wrapper (a coroutine frame) for it.
struct RouteOptions {
  bool no_store = false;  // Cache-Control: no-store on the handler's responses
};

// Method + path-template routing ("/api/v1/bets/{id}") over a segment trie.
// Literal segments win over parameters. HEAD is answered by GET routes.
class Router {
 public:
  struct Route {
    Verb method;
    std::string pattern;
  };

  struct Match {
    const Handler* handler = nullptr;  // null: see path_found
    RouteOptions options;
    bool path_found = false;  // the path exists with other methods: 405
    std::string allow;        // for 405: "GET, HEAD"
    const std::string* pattern = nullptr;
  };

  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Throws std::invalid_argument for a malformed pattern or a duplicate route.
  void add(Verb method, std::string_view pattern, Handler handler, RouteOptions options = {});
  Match match(Verb method, std::string_view path, PathParams& params) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Node;
  static const Node* walk(const Node* node, const std::vector<std::string_view>& segments, std::size_t i,
                          PathParams& params);
  std::unique_ptr<Node> root_;
  std::vector<Route> routes_;
};

}  // namespace b2w::http
