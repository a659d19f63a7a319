#pragma once
#include <string>
#include <vector>

#include "config/config.hpp"

namespace b2w::app {

// bet2wealth admin create --email E [--role R] [--promote] | role --email E --role R | demote | lock | unlock
// Creates a staff account with role R (superadmin unless given: what `admin create` always made), reading
// the password from stdin (first line); with --promote, or `role`, gives an existing account role R; demote
// is `role --role user`. Returns the exit status.
int admin_command(const config::Config& config, const std::vector<std::string>& args);

}  // namespace b2w::app
