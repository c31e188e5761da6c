#include "router/route_plan.hpp"

namespace sluice::router {

std::string_view to_string(RouteError e) {
    switch (e) {
        case RouteError::none: return "none";
        case RouteError::no_primary: return "no_primary";
        case RouteError::no_replica: return "no_replica";
        case RouteError::backend_unavailable: return "backend_unavailable";
    }
    return "?";
}

}  // namespace sluice::router
