#pragma once
// Small helpers for tests that run real servers from Debian packages.
#include <string>
#include <vector>

namespace b2w::test {

// Runs a command to completion; returns its exit status. Output goes to `log_file` when given.
int run_command(const std::vector<std::string>& argv, const std::string& log_file = "");
// A free TCP port on 127.0.0.1 (bound and released: good enough for tests).
int free_port();
// A fresh directory under the system temp dir.
std::string make_temp_dir(const std::string& prefix);
void remove_tree(const std::string& path);
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

}  // namespace b2w::test
