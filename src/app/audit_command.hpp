#pragma once
#include <string>
#include <vector>

#include "config/config.hpp"

namespace b2w::app {

// bet2wealth audit verify: checks the audit trail's hash chain from its first record to its head. Prints
// the number of records and exits 0 when it is intact; prints the first broken record (seq and id) and
// why, and exits 1, otherwise.
int audit_command(const config::Config& config, const std::vector<std::string>& args);

}  // namespace b2w::app
