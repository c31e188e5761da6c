#include "router/target.hpp"

namespace sluice::router {

std::string_view to_string(Target t) {
    switch (t) {
        case Target::primary: return "primary";
        case Target::replica: return "replica";
        case Target::named: return "named";
        case Target::all: return "all";
    }
    return "unknown";
}

}  // namespace sluice::router
