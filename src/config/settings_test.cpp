#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/setting.hpp"

using namespace b2w::config;

namespace {

std::map<std::string, std::string> summary_map(const Config& c) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : c.summary()) out[name] = value;
  return out;
}

// The text between README.md's config markers (the line after begin up to the end marker).
std::string readme_block() {
  std::ifstream in(std::string(B2W_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const auto begin = all.find("<!-- config:begin");
  const auto end = all.find("<!-- config:end -->");
  if (begin == std::string::npos || end == std::string::npos || end < begin) return "(markers not found)";
  const auto first = all.find('\n', begin) + 1;
  return all.substr(first, end - first);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST(ConfigTable, EveryRowHasADescription) {
  for (const auto& s : settings()) EXPECT_FALSE(s.description.empty()) << s.name;
}

TEST(ConfigTable, NamesAndAliasesAreUnique) {
  std::set<std::string> seen;
  for (const auto& s : settings()) {
    EXPECT_TRUE(seen.insert(s.name).second) << s.name;
    if (!s.alias.empty()) {
      EXPECT_TRUE(seen.insert(s.alias).second) << s.alias;
    }
  }
}

TEST(ConfigTable, RowsAreReadShownOrPartsOfAUrlRow) {
  for (const auto& s : settings()) {
    if (s.part_of.empty()) {
      EXPECT_TRUE(s.value.read && s.value.show) << s.name;
      continue;
    }
    EXPECT_TRUE(s.value.part) << s.name;
    const Setting* whole = find_setting(s.part_of);
    ASSERT_NE(whole, nullptr) << s.name;
    EXPECT_TRUE(whole->part_of.empty()) << s.name;
  }
}

TEST(ConfigTable, SummaryListsEveryRowButParts) {
  const auto summary = summary_map(load({}, "1").config);
  std::size_t rows = 0;
  for (const auto& s : settings()) {
    if (!s.part_of.empty()) continue;
    ++rows;
    EXPECT_EQ(summary.count(s.name), 1u) << s.name;
  }
  EXPECT_EQ(summary.size(), rows);
  // These were once missing from it.
  for (const char* name : {"DOCS_DIR", "MAX_HEADER_BYTES", "REDIS_POOL_IDLE_TIMEOUT", "REDIS_POOL_ACQUIRE_TIMEOUT",
                           "REDIS_POOL_RETRY_ATTEMPTS"})
    EXPECT_EQ(summary.count(name), 1u) << name;
  EXPECT_EQ(summary.at("REDIS_POOL_ACQUIRE_TIMEOUT"), "2s");
  EXPECT_EQ(summary.at("IO_THREADS"), "auto: one per CPU available");
}

// Every secret row, set at once (the URLs from their parts): the summary shows none of them and
// secret_values() has each, so log lines are scrubbed of them.
TEST(ConfigTable, SummaryNeverShowsASecretRow) {
  Env env{{"APP_ENV", "production"},
          {"REDIS_HOST", "cache.local"},
          {"DB_HOST", "db.local"},
          {"FUNDIST_BASE_URL", "https://apitest.fundist.org"}};
  std::vector<std::string> secrets;
  for (const auto& s : settings()) {
    if (!s.value.secret) continue;
    secrets.push_back("Secret" + s.name + "0123456789abcdef0123456789abcdef");
    // A secret with a form of its own gets a value of that form.
    if (s.name == "SENTRY_DSN") secrets.back() = "https://sentrykey0123456789abcdef@sentry.example/1";
    env[s.name] = secrets.back();
  }
  ASSERT_GE(secrets.size(), 5u);
  const auto r = load(env, "1");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  std::string all;
  for (const auto& [name, value] : r.config.summary()) all += name + "=" + value + "\n";
  const auto scrubbed = r.config.secret_values();
  for (const auto& secret : secrets) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
    EXPECT_NE(std::find(scrubbed.begin(), scrubbed.end(), secret), scrubbed.end()) << secret;
  }
  EXPECT_NE(all.find("cache.local"), std::string::npos);
}

TEST(ConfigTable, MaxHeaderBytesIsRead) {
  EXPECT_EQ(load({}, "1").config.max_header_bytes, 16u * 1024);
  auto r = load({{"MAX_HEADER_BYTES", "32KiB"}}, "1");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(r.config.max_header_bytes, 32u * 1024);
  EXPECT_EQ(summary_map(r.config).at("MAX_HEADER_BYTES"), "32KiB");
  r = load({{"MAX_HEADER_BYTES", "2MiB"}}, "1");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("MAX_HEADER_BYTES: ", 0), 0u) << r.errors[0];
  EXPECT_EQ(r.config.max_header_bytes, 16u * 1024);
}

// As before the table: a part is read (and checked) only when its URL is assembled from the parts.
TEST(ConfigTable, PartsAreReadOnlyToAssembleTheirUrl) {
  EXPECT_TRUE(load({{"REDIS_PORT", "x"}, {"DB_SSLMODE", "y"}}, "1").errors.empty());
  const auto r = load({{"REDIS_HOST", "cache"}, {"REDIS_PORT", "x"}}, "1");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("REDIS_PORT: ", 0), 0u) << r.errors[0];
  EXPECT_EQ(*r.config.redis_url, "rediss://cache:6379");
}

TEST(ConfigTable, MarkdownHasOneLinePerRow) {
  const auto table = markdown_table();
  EXPECT_EQ(static_cast<std::size_t>(std::count(table.begin(), table.end(), '\n')), settings().size() + 2);
  EXPECT_EQ(table.find("``"), std::string::npos) << "an empty default or value";
  EXPECT_NE(table.find("| `MAX_TRANSACTION_AMOUNT` | `500000000` (₦5,000,000) |"), std::string::npos);
}

TEST(ConfigTable, ReadmeConfigurationMatchesTheTable) {
  const auto readme = lines(readme_block()), table = lines(markdown_table());
  const auto [in_readme, in_table] = std::mismatch(readme.begin(), readme.end(), table.begin(), table.end());
  if (in_readme != readme.end() || in_table != table.end())
    ADD_FAILURE() << "README.md's configuration table is out of date (run tools/config_docs.sh after building); "
                  << "first difference:\n  README.md: " << (in_readme == readme.end() ? "(end)" : *in_readme)
                  << "\n  table:     " << (in_table == table.end() ? "(end)" : *in_table);
}
