#pragma once
// The "health" logger that the proxy sets up, or spdlog's default logger when there is none (tests, tools).
// Lines about one backend start with "backend=NAME: ".

#include <spdlog/spdlog.h>

#include <memory>

namespace sluice::health {

std::shared_ptr<spdlog::logger> logger();

}  // namespace sluice::health
