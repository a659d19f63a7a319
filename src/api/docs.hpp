#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "api/route_table.hpp"

namespace b2w::api {

// The API documentation served by the binary: the OpenAPI document and a
// Swagger UI page, from disk (no CDN at run time). The page, its script and the document are
// read at start-up; the vendored Swagger UI bundle, stylesheet and icon (1.7 MB, nearly all of
// it) are only checked then and read on their first request, so a process nobody opens the
// docs page on never holds them.
struct DocsAssets {
  // Read on first use, once per process (thread-safe).
  struct Lazy {
    std::string path;
    std::once_flag once;
    std::string body;
    bool ok = false;
  };
  struct File {
    std::string content_type;
    std::string body;            // when read at start-up
    std::shared_ptr<Lazy> lazy;  // else
  };
  std::map<std::string, File, std::less<>> files;  // by name: index.html, openapi.json, swagger-ui.css, ...
  std::string problem;                             // why they could not be loaded, if they could not

  // Loads from `dir`; the page's links are made absolute under `docs_path`,
  // and the document's server URL is set to `root_entry`.
  static DocsAssets load(const std::string& dir, const std::string& docs_path, const std::string& root_entry);
};

// GET <docs>, <docs>/openapi.json: one named asset.
RouteHandler docs_file(const DocsAssets& assets, std::string name);
// GET <docs>/{asset}: the page's scripts and styles.
RouteHandler docs_asset(const DocsAssets& assets);

}  // namespace b2w::api
