#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace b2w::config {

using Env = std::map<std::string, std::string>;

// Reads typed values from an environment map. Each problem is recorded as one
// line naming the variable; callers check errors() once everything is read, so
// a bad start-up reports every mistake at once.
class EnvReader {
 public:
  explicit EnvReader(const Env& env) : env_(env) {}

  std::optional<std::string> raw(const std::string& name) const;
  std::string string(const std::string& name, const std::string& fallback);
  std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max);
  std::chrono::milliseconds duration(const std::string& name, std::chrono::milliseconds fallback,
                                     std::chrono::milliseconds bare_unit = std::chrono::seconds(1),
                                     std::chrono::milliseconds min = std::chrono::milliseconds(0));
  std::uint64_t bytes(const std::string& name, std::uint64_t fallback, std::uint64_t min, std::uint64_t max);
  std::string one_of(const std::string& name, const std::string& fallback, const std::vector<std::string>& allowed);
  std::string path_prefix(const std::string& name, const std::string& fallback);

  void fail(const std::string& name, const std::string& problem);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  const Env& env_;
  std::vector<std::string> errors_;
};

Env environment_from_process();

}  // namespace b2w::config
