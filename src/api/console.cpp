#include "api/console.hpp"

#include <filesystem>

#include "api/static_files.hpp"
#include "http/api_error.hpp"

namespace b2w::api {
namespace {

void check_installed(const ConsoleAssets& assets) {
  if (!assets.problem.empty())
    throw http::ApiError(http::Status::service_unavailable, "console_unavailable",
                         "The back-office console is not installed");
}

http::Response reply(std::string_view content_type, std::string_view cache, const std::string& body) {
  http::Response res{http::Status::ok, 11};
  res.set(http::Field::content_type, content_type);
  res.set(http::Field::cache_control, cache);
  res.set("Content-Security-Policy", kConsoleContentSecurityPolicy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.body() = body;
  return res;
}

}  // namespace

ConsoleAssets ConsoleAssets::load(const std::string& dir, const std::string& console_path,
                                  const std::string& root_entry) {
  ConsoleAssets assets;
  if (!read_whole_file(dir + "/index.html", assets.index)) {
    assets.problem = "cannot read " + dir + "/index.html";
    return assets;
  }
  replace_all(assets.index, "%CONSOLE%", console_path);
  replace_all(assets.index, "%ROOT_ENTRY%", root_entry);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/assets", ec)) {
    if (!entry.is_regular_file()) continue;
    std::string body;
    if (!read_whole_file(entry.path().string(), body)) {
      assets.problem = "cannot read " + entry.path().string();
      break;
    }
    assets.files.emplace(entry.path().filename().string(), std::move(body));
  }
  if (ec) assets.problem = "cannot list " + dir + "/assets: " + ec.message();
  if (!assets.problem.empty()) {
    assets.index.clear();
    assets.files.clear();
  }
  return assets;
}

RouteHandler console_page(const ConsoleAssets& assets) {
  return [&assets](Call call) -> http::Awaitable<http::Response> {
    check_installed(assets);
    // /assets/<name>/... is no page of the app: an asset path that went wrong is a 404, not the page.
    if (call.ctx.param("page") == "assets") throw http::ApiError::not_found("No console asset with this name");
    co_return reply("text/html; charset=utf-8", "no-cache", assets.index);
  };
}

RouteHandler console_asset(const ConsoleAssets& assets) {
  return [&assets](Call call) -> http::Awaitable<http::Response> {
    check_installed(assets);
    const auto name = call.ctx.param("asset");
    auto it = assets.files.find(name);
    if (it == assets.files.end()) throw http::ApiError::not_found("No console asset with this name");
    co_return reply(content_type_of(name), "public, max-age=31536000, immutable", it->second);
  };
}

}  // namespace b2w::api
