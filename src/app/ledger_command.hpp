#pragma once
#include <string>
#include <vector>

#include "config/config.hpp"

namespace b2w::app {

// bet2wealth ledger verify: recomputes every balance from the entries and checks every
// invariant; prints each mismatch and exits 1 if there is any, 0 otherwise.
int ledger_command(const config::Config& config, const std::vector<std::string>& args);

}  // namespace b2w::app
