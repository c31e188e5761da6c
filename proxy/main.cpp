#include <cstdio>

#include "sluice_version.hpp"

int main() {
    std::printf("sluice %s\n", SLUICE_VERSION);
    return 0;
}
