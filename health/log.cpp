#include "health/log.hpp"

namespace sluice::health {

std::shared_ptr<spdlog::logger> logger() {
    if (auto l = spdlog::get("health")) return l;
    return spdlog::default_logger();
}

}  // namespace sluice::health
