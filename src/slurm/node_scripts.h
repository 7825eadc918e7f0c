#pragma once
// The shell scripts `beowulf slurm` runs on a node (over ssh; on the master through a
// local `sh -c`). Pure strings, POSIX sh. Files travel inside them as base64; secrets
// never do: a script that needs root runs through `sudo -n` (no password goes to any
// node: `beowulf add` gave the members password-less sudo) and reads the munge key as
// the first line of its stdin.
//
// How a daemon is started depends on the node, decided by the script itself:
// - the virtual cluster (the node's holder serves /run/beowulf-sim/start): the daemon
//   runs in the foreground as a child of the holder, which reaps it; its pid file says
//   whether it runs;
// - systemd (/run/systemd/system exists): `systemctl enable` and `start` of Debian's units
//   munge, slurmctld, slurmd;
// - otherwise Debian's init scripts through `service`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/users_plan.h"
#include "core/result.h"
#include "slurm/slurm_conf.h"

namespace beowulf::slurm {

/// The packages a node needs; the controller also slurmctld.
std::vector<std::string> packages(bool controller);

/// Prints what `slurm up` needs to know about the node, one "KEY VALUE" line each, then
/// an "accounts" line and the node's accounts (cluster::accounts_script of `users`, whose
/// UIDs must agree everywhere), for parse_probe(); needs no root.
std::string probe_script(const std::vector<std::string>& users, bool controller);

/// What probe_script() found.
struct Probe {
  std::string hardware;               ///< the first line of `slurmd -C`, empty when slurmd is missing
  int cores = 0;                      ///< nproc
  cluster::NodeAccounts accounts;     ///< its users and groups, and which homes of the users asked about exist
  bool systemd = false;
  bool virtual_node = false;          ///< a node of `beowulf sim`
  bool cgroup = false;                ///< something is mounted on /sys/fs/cgroup
  std::vector<std::string> missing;   ///< packages not installed
  std::vector<std::string> no_users;  ///< of munge and slurm, the system users missing from `accounts`
  double clock = 0;                   ///< `date +%s.%N`
};

/// Reads probe_script()'s output; fails naming `node` when a line is missing.
Result<Probe> parse_probe(std::string_view text, const std::string& node);

/// Installs `packages` with apt-get as root (through `sudo -n`).
std::string install_script(const std::vector<std::string>& packages);

/// What apply_script() puts on a node.
struct NodeSetup {
  std::string slurm_conf, cgroup_conf;
  Layout layout = Layout::boards;
  bool controller = false;  ///< the master: makes the munge key when it has none, prints it, runs slurmctld
  bool compute = true;      ///< runs slurmd
};

/// As root through `sudo -n` (stdin: the munge key in base64, empty on the controller):
/// writes the munge key (0400, owner munge), slurm.conf and cgroup.conf, each only when
/// its bytes differ; then starts munged, slurmctld (on the controller) and
/// slurmd where they are not running, restarting munged where the key changed and the
/// Slurm daemons where the key or a configuration file changed. Prints one line per thing done:
/// "wrote munge.key", "restarted munged", ...; the controller also "key BASE64".
std::string apply_script(const NodeSetup& setup);

/// As root through `sudo -n`: stops slurmd, slurmctld and munged, printing
/// "stopped NAME" for each that ran; `purge` also removes the munge key, slurm.conf,
/// cgroup.conf and the daemons' state ("removed munge.key, ...").
std::string down_script(Layout layout, bool purge);

}  // namespace beowulf::slurm
