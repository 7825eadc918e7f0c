#pragma once
// SlurmConf: the one slurm.conf (and cgroup.conf) of a cluster, written from the
// inventory and what each node's `slurmd -C` and `nproc` say. Pure text in, text out.
//
// Every node gets the same file. A node declares the cores `nproc` counts (a board may
// be allowed fewer than the CPUs the kernel sees) and a little less memory than it has
// (see declared_memory), so that slurmd never finds less than declared and the node is
// never DOWN for it; SlurmdParameters=config_overrides makes slurmd trust the file.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace beowulf::slurm {

/// What `slurmd -C` reports about a node.
struct Hardware {
  std::string name;  ///< NodeName=: the node's short host name
  int cpus = 0;      ///< CPUs=
  long memory = 0;   ///< RealMemory=, MiB
};

/// Reads the first line of `slurmd -C` ("NodeName=worker001 CPUs=2 ... RealMemory=3936").
/// Fails naming `node` when NodeName, CPUs or RealMemory is missing or not a number.
Result<Hardware> parse_slurmd_c(std::string_view text, const std::string& node);

/// The memory a node declares: 1% less than `real` MiB, rounded down to a multiple of
/// 64 MiB (at least 1): a kernel update that takes a few MiB never makes the node DOWN.
long declared_memory(long real);

/// Where the daemons keep their state, spool, pid and log files.
enum class Layout {
  boards,   ///< Debian's places: /var/lib/slurm, /var/log/slurm, /run (what its systemd units expect)
  virtual_cluster,  ///< all under /run/slurm: /var is shared between the nodes of a sim
};

struct ConfNode {
  std::string name;     ///< its host name, as slurmd finds it
  std::string address;  ///< NodeAddr
  int cpus = 1;         ///< as nproc counts them
  long memory = 1;      ///< MiB, already declared_memory()
};

struct ConfPlan {
  std::string cluster = "beowulf";  ///< ClusterName
  ConfNode controller;              ///< the master: name and address
  std::vector<ConfNode> nodes;      ///< the compute nodes (the master among them or not)
  Layout layout = Layout::boards;
};

/// The slurm.conf for `plan`: SlurmctldHost the controller, one NodeName line per node
/// in the plan's order, one partition "beowulf" of them all, the default.
std::string slurm_conf(const ConfPlan& plan);

/// cgroup.conf: cgroup/v1 on the virtual cluster (its nodes have v1 hierarchies only),
/// autodetect on boards.
std::string cgroup_conf(Layout layout);

/// The files of `layout`: {"StateSaveLocation", "/run/slurm/state"}, ... in slurm.conf's order.
std::vector<std::pair<std::string, std::string>> daemon_paths(Layout layout);

/// A ClusterName from the inventory's name: letters (lower-cased) and digits kept,
/// anything else made '_'; "beowulf" when it has no letter or digit.
std::string cluster_name(std::string_view inventory_name);

}  // namespace beowulf::slurm
