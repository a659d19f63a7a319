#pragma once
#include <string>
#include <vector>

#include "config/config.hpp"

namespace b2w::app {

// bet2wealth admin create --email E [--promote]
// Creates an administrator, reading the password from stdin (first line), or
// with --promote makes an existing user an administrator. Returns the exit status.
int admin_command(const config::Config& config, const std::vector<std::string>& args);

}  // namespace b2w::app
