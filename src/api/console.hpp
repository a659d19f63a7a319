#pragma once
#include <map>
#include <string>

#include "api/route_table.hpp"

namespace b2w::api {

// The back-office console (console/, built by scripts/console-assets.sh into `console` beside the binary): a
// single-page app of one page (index.html) and content-hashed assets (assets/*), all read at start-up (tens of
// kilobytes). Every answer carries a strict Content-Security-Policy: scripts, styles and API calls from this
// origin only, nothing inline, no framing.
struct ConsoleAssets {
  std::string index;                                      // the page, its links made absolute
  std::map<std::string, std::string, std::less<>> files;  // assets/<name> by name
  std::string problem;                                    // why they could not be loaded, if they could not

  // Loads from `dir`; %CONSOLE% in the page becomes `console_path` and %ROOT_ENTRY% `root_entry`.
  static ConsoleAssets load(const std::string& dir, const std::string& console_path, const std::string& root_entry);
};

inline constexpr const char* kConsoleContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// GET <console>, GET <console>/{page}, GET <console>/{page}/{id}: the page (the app routes in the browser);
// Cache-Control: no-cache, so a deploy's new asset names are picked up at once.
RouteHandler console_page(const ConsoleAssets& assets);
// GET <console>/assets/{asset}: a hashed asset, cached for a year; 404 for an unknown name.
RouteHandler console_asset(const ConsoleAssets& assets);

}  // namespace b2w::api
