#pragma once
// TimeConfig: the chrony configuration `beowulf time up` gives each member (pure
// strings). The master serves the cluster's subnet from its own clock when no upstream
// source answers (`local stratum 10`, `allow SUBNET`); a worker follows the master
// (`server MASTER iburst`) and may step its clock during its first updates, since a
// board without a battery boots with whatever time it last saved (`makestep 1 3`).
//
// On the virtual cluster every board shares the clock of the machine that hosts them:
// there chronyd runs with -x (it measures, never sets the clock) and keeps its pid, drift
// and socket under the node's own /run (/var is shared between the nodes).

#include <string>

#include "core/inventory.h"

namespace beowulf::cluster {

struct ChronyPlan {
  Role role = Role::worker;
  std::string master_address;  ///< the worker's source: "198.18.0.1"
  std::string subnet;          ///< the master serves it: "198.18.0.0/24"
};

/// The plan for `node`: the master serves the inventory's subnet (the master's /24 when
/// the inventory records none), a worker follows the master's address.
ChronyPlan chrony_plan(const Inventory& inventory, const Node& node);

/// The text of /etc/chrony/chrony.conf for `plan`: for a real board (chrony.service), or
/// for a board of the virtual cluster (`on_sim`: chronyd -x, files under /run/chrony).
std::string chrony_config(const ChronyPlan& plan, bool on_sim);

}  // namespace beowulf::cluster
