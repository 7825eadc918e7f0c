#pragma once
// How `sim up` makes one node, once its network namespace and veth exist: the node's own
// files, the process that holds its UTS and mount namespaces, and its sshd.
//
// A node's directory (STATE/nodes/LABEL) holds etc/ (a copy of the host's /etc), home/,
// root/, run/ and tmp/. The holder process enters the node's network namespace, makes a
// UTS and a mount namespace, bind-mounts those directories over /etc, /home, /root, /tmp
// and /run, sets the hostname and sleeps; everything else on the node (sshd, `sim exec`)
// joins its namespaces with nsenter. The node directories live on a tmpfs of the sim's
// (mounted by sim.cc, recorded, unmounted at down); no other mount is made in the host's namespace.

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/result.h"
#include "sim/profile.h"
#include "sim/state.h"

namespace beowulf::sim {

struct NodePlan {
  std::string label;    ///< "node1"
  std::string address;  ///< "198.18.0.11"
  int prefix = 24;
  std::string netns;    ///< "bwsim-default-node1"
  std::string dir;      ///< "/run/beowulf-sim/default/nodes/node1"
  std::string cpus;     ///< "1": the host CPUs that are this board's cores (taskset list)

  /// "node1 (198.18.0.11)": how errors name the node.
  std::string who() const { return label + " (" + address + ")"; }
};

/// Runs `argv` (with `input` on stdin). Fails with "STEP: STDERR" when it cannot start
/// or does not exit 0.
Status run_step(const std::string& step, const std::vector<std::string>& argv, const std::string& input = {});

/// Gives the node's interface its address and brings it and the loopback up.
Status configure_network(const NodePlan& node);

/// Makes the node's directories: /etc copied from the host with fresh host keys, the
/// profile's hostname, /etc/hosts, user (hashed password `password_hash`), sudo rule and
/// sshd_config; the user's home from /etc/skel.
Status prepare_files(const NodePlan& node, const Profile& profile, const std::string& password_hash);

/// Starts the node's holder process and waits (10 s at most) until its mounts are made.
/// The holder is the node's init: root starts a daemon in the node, reaped when it ends,
/// by writing its command line into the node's /run/beowulf-sim/start. `cgroups`: the
/// node gets a /sys/fs/cgroup with cgroup v1 hierarchies (for slurmd).
Result<ProcessRecord> start_holder(const NodePlan& node, const Profile& profile, bool cgroups = false);

/// Starts sshd inside the node and waits (10 s at most) until it listens on the node's address.
Result<ProcessRecord> start_sshd(const NodePlan& node, pid_t holder);

/// The argv that runs `command` as root inside the node whose namespaces `holder` holds,
/// on that node's cores (the holder's CPU affinity, through `taskset`), so `nproc` there
/// says the board's count. `options` are more of nsenter's own ("--wdns=/home/linaro"):
/// they go to nsenter, after its namespaces and before the command.
std::vector<std::string> nsenter_argv(pid_t holder, const std::vector<std::string>& command,
                                      const std::vector<std::string>& options = {});

/// The taskset list of the `cores` CPUs that node number `index` runs on, dealt out
/// round-robin over the CPUs we may use, so that the nodes share them evenly.
std::string board_cpus(int index, int cores, const std::vector<int>& host_cpus);

}  // namespace beowulf::sim
