#pragma once
// yaml-cpp 0.7's inline node code trips GCC 12's -Wdangling-pointer (a false positive in impl.h); silence it for
// that header only, so the rest of our code keeps the warning.

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#include <yaml-cpp/yaml.h>
#pragma GCC diagnostic pop
