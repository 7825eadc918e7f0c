#pragma once
// The CPUs this process may run on: what `nproc` counts (a taskset, a container's
// cpuset and a sim board's cores included), unlike sysconf's count of the machine's.

#include <vector>

namespace beowulf::sys {

/// The ids of the CPUs in our affinity mask, in order; never empty.
std::vector<int> allowed_cpus();

}  // namespace beowulf::sys
