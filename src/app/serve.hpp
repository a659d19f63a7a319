#pragma once
#include "config/config.hpp"

namespace b2w::app {

// Runs the HTTP service until SIGTERM/SIGINT and a graceful drain; returns the exit status.
int serve(const config::Config& config);

}  // namespace b2w::app
