#pragma once
// The doctor's `arch` check: the architecture each node's userland reported when it was
// added (`dpkg --print-architecture`, kept in the inventory). A program is built for one
// architecture and `beowulf run` refuses to send it to a node of another, so a cluster of
// mixed boards (a 32-bit Parallella beside a 64-bit Raspberry Pi OS) is worth a warning:
// it works, but every program must be built once per architecture. Pure.
#include <vector>

#include "cluster/check.h"
#include "core/inventory.h"

namespace beowulf::cluster {

/// The findings of check "arch" on `nodes`:
/// - one architecture: an ok finding per node, "armhf";
/// - several: one warning for them all, naming the nodes per architecture,
///   "armhf on master,worker[001-002]; arm64 on worker003: a program is built for one
///   architecture, and beowulf run refuses to send it to a node of another", with the fix
///   to run on one architecture's nodes (-w) once the program is built for it.
/// A node whose architecture is not recorded (the master, which `init` does not probe, or
/// a node added by an older beowulf) has no finding: nothing is known to compare.
std::vector<Finding> check_arch(const std::vector<Node>& nodes);

}  // namespace beowulf::cluster
