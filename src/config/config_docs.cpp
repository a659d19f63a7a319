// README.md's configuration table, generated from the settings table (tools/config_docs.sh writes it).
#include <cstdio>

#include "config/setting.hpp"

namespace b2w::config {
namespace {

std::string code(const std::string& s) {
  return "`" + s + "`";
}

// A table cell: a '|' would end it early.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string default_text(const Setting& s, const Config& defaults) {
  if (!s.default_doc.empty()) return s.default_doc;
  if (!s.value.fallback.empty()) return s.value.fallback;
  const std::string value = shown(s, defaults);
  return !s.unset.empty() && value == s.unset ? value : code(value);
}

std::string accepts_text(const Setting& s) {
  std::string out = s.value.secret ? "secret" : "";
  if (!s.value.accepts.empty()) out += (out.empty() ? "" : "; ") + s.value.accepts;
  for (const auto& check : s.checks) out += (out.empty() ? "" : ", ") + check.doc;
  return out;
}

std::string row(const Setting& s, const Config& defaults) {
  std::string name = code(s.name);
  if (!s.alias.empty()) name += " (alias " + code(s.alias) + ")";
  std::string meaning = s.description;
  if (!s.part_of.empty())
    meaning = "part of " + code(s.part_of) + " (assembled from its parts when it is unset): " + meaning;
  return "| " + cell(name) + " | " + cell(default_text(s, defaults)) + " | " + cell(accepts_text(s)) + " | " +
         cell(meaning) + " |\n";
}

}  // namespace

std::string markdown_table() {
  const Config defaults;
  std::string out = "| name | default | accepted | meaning |\n|---|---|---|---|\n";
  for (const auto& s : settings()) out += row(s, defaults);
  return out;
}

int config_command(const std::vector<std::string>& args) {
  if (args.size() == 1 && args[0] == "--markdown") {
    std::fputs(markdown_table().c_str(), stdout);
    return 0;
  }
  std::fputs("Usage: bet2wealth config --markdown   (README.md's configuration table)\n", stderr);
  return 2;
}

}  // namespace b2w::config
