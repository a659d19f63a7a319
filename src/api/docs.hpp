#pragma once
#include <map>
#include <string>

#include "http/router.hpp"

namespace b2w::api {

// The API documentation served by the binary: the OpenAPI document and a
// Swagger UI page, read from disk once at start-up (no CDN at run time).
struct DocsAssets {
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File, std::less<>> files;  // by name: index.html, openapi.json, swagger-ui.css, ...
  std::string problem;                             // why they could not be loaded, if they could not

  // Loads from `dir`; the page's links are made absolute under `docs_path`,
  // and the document's server URL is set to `root_entry`.
  static DocsAssets load(const std::string& dir, const std::string& docs_path, const std::string& root_entry);
};

void register_docs(http::Router& router, const std::string& docs_path, const DocsAssets& assets);

}  // namespace b2w::api
