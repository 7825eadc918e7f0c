#include "cluster/time_config.h"

#include <fmt/core.h>

namespace beowulf::cluster {

ChronyPlan chrony_plan(const Inventory& inventory, const Node& node) {
  ChronyPlan plan;
  plan.role = node.role;
  const Node* master = inventory.master();
  if (master != nullptr) plan.master_address = master->address.str();
  if (inventory.subnet()) plan.subnet = inventory.subnet()->str();
  else if (master != nullptr) plan.subnet = subnet_of(master->address).str();
  return plan;
}

std::string chrony_config(const ChronyPlan& plan, bool on_sim) {
  std::string text = "# Written by 'beowulf time up'; it rewrites this file when the cluster changes.\n";
  if (plan.role == Role::master) {
    text +=
        "# This node is the cluster's time server. It serves its own clock when no upstream\n"
        "# source answers (a closed network); upstream servers, when there are some, go in\n"
        "# /etc/chrony/sources.d/*.sources.\n";
    if (!on_sim) text += "sourcedir /etc/chrony/sources.d\n";
    text += fmt::format("local stratum 10\nallow {}\n", plan.subnet);
  } else {
    text += "# This node follows the cluster's master.\n";
    text += fmt::format("server {} iburst\n", plan.master_address);
  }
  // A board without a battery boots with the time it last saved: step during the first updates.
  text += "makestep 1 3\n";
  if (on_sim)
    return text +
           "# The virtual cluster: chronyd runs with -x (it measures but never sets the clock,\n"
           "# which every board shares with the machine that hosts them); its files are under\n"
           "# the node's own /run (its socket too, chronyd.sock), since /var is shared.\n"
           "pidfile /run/chrony/chronyd.pid\n"
           "driftfile /run/chrony/chrony.drift\n";
  return text + "driftfile /var/lib/chrony/chrony.drift\nrtcsync\n";
}

}  // namespace beowulf::cluster
