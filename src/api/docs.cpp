#include "api/docs.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>

#include "api/static_files.hpp"
#include "http/api_error.hpp"

namespace b2w::api {
namespace {

bool readable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return static_cast<bool>(in);
}

http::Response serve(const DocsAssets& assets, std::string_view name) {
  if (!assets.problem.empty())
    throw http::ApiError(http::Status::service_unavailable, "docs_unavailable",
                         "The API documentation is not installed");
  auto it = assets.files.find(name);
  if (it == assets.files.end()) throw http::ApiError::not_found("No documentation asset with this name");
  http::Response res{http::Status::ok, 11};
  res.set(http::Field::content_type, it->second.content_type);
  res.set(http::Field::cache_control,
          name == "index.html" || name == "openapi.json" ? "no-cache" : "public, max-age=3600");
  if (name == "index.html")
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
  if (const auto& lazy = it->second.lazy) {
    // One read per process, on the first request for it; later requests copy from memory as the others do.
    std::call_once(lazy->once, [&lazy] { lazy->ok = read_whole_file(lazy->path, lazy->body); });
    if (!lazy->ok)
      throw http::ApiError(http::Status::service_unavailable, "docs_unavailable",
                           "The API documentation is not installed");
    res.body() = lazy->body;
  } else {
    res.body() = it->second.body;
  }
  return res;
}

}  // namespace

DocsAssets DocsAssets::load(const std::string& dir, const std::string& docs_path, const std::string& root_entry) {
  DocsAssets assets;
  struct Wanted {
    const char* name;
    const char* type;
    bool lazy;  // vendored and large: read on first request
  };
  const Wanted wanted[] = {
      {"index.html", "text/html; charset=utf-8", false},
      {"init.js", "text/javascript; charset=utf-8", false},
      {"openapi.json", "application/json", false},
      {"swagger-ui.css", "text/css; charset=utf-8", true},
      {"swagger-ui-bundle.js", "text/javascript; charset=utf-8", true},
      {"favicon-32x32.png", "image/png", true},
  };
  for (const auto& [name, type, lazy] : wanted) {
    File file{type, {}, nullptr};
    const std::string path = dir + "/" + name;
    if (lazy) {
      file.lazy = std::make_shared<Lazy>();
      file.lazy->path = path;
    }
    if (lazy ? !readable(path) : !read_whole_file(path, file.body)) {
      assets.problem = "cannot read " + dir + "/" + name;
      assets.files.clear();
      return assets;
    }
    assets.files.emplace(name, std::move(file));
  }
  replace_all(assets.files["index.html"].body, "%API_DOCS%", docs_path);
  replace_all(assets.files["init.js"].body, "%API_DOCS%", docs_path);

  boost::system::error_code ec;
  auto doc = boost::json::parse(assets.files["openapi.json"].body, ec);
  if (ec || !doc.is_object()) {
    assets.problem = "openapi.json is not valid JSON";
    assets.files.clear();
    return assets;
  }
  doc.as_object()["servers"] = boost::json::array{boost::json::object{{"url", root_entry}}};
  assets.files["openapi.json"].body = boost::json::serialize(doc);
  return assets;
}

RouteHandler docs_file(const DocsAssets& assets, std::string name) {
  return [&assets, name = std::move(name)](Call) -> http::Awaitable<http::Response> { co_return serve(assets, name); };
}

RouteHandler docs_asset(const DocsAssets& assets) {
  return [&assets](Call call) -> http::Awaitable<http::Response> {
    const auto asset = call.ctx.param("asset");
    if (asset == "index.html") throw http::ApiError::not_found();  // the page lives at <docs> itself
    co_return serve(assets, asset);
  };
}

}  // namespace b2w::api
