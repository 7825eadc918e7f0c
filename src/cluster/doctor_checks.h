#pragma once
// The doctor's judgements: pure functions from what the probes saw to findings, one per
// node or pair a check concerns, with the evidence and a fix to paste. No I/O: the
// runner (doctor.h) gathers DoctorFacts; these read them.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/check.h"
#include "cluster/doctor_probe.h"
#include "cluster/users_plan.h"
#include "core/inventory.h"

namespace beowulf::cluster {

/// A node's clock against the master's: `ahead` seconds (negative: behind), known to
/// within `error` seconds (half the round trip of the reading).
struct ClockSkew {
  double ahead = 0;
  double error = 0;
};

/// Everything the checks read.
struct DoctorFacts {
  Inventory inventory;                        ///< every member (names resolve on all of them)
  std::vector<Node> nodes;                    ///< the nodes checked (-w), the master first
  std::map<std::string, NodeProbe> probes;    ///< by node name: those whose probe answered
  std::map<std::string, std::string> probe_failures;  ///< by node name: why its probe did not answer
  std::map<std::string, ClockSkew> clock_skew;  ///< by node name
  /// By source node name: target address -> "" connected, else why not.
  std::map<std::string, std::map<std::string, std::string>> connects;
  std::map<std::string, std::string> fingerprints;  ///< "TYPE BASE64" host key -> "SHA256:..."
  std::string program;                        ///< --program PATH; empty: not asked
  std::vector<std::string> users;             ///< the accounts `users add` made (~/.beowulf/users)
  std::map<std::string, NodeAccounts> accounts;  ///< by node name: those that answered
};

/// The command that runs `command` on `node` from the master, for a fix line: the
/// command itself for the master, else `beowulf exec -w NAME -- 'COMMAND'`.
std::string on_node(const Node& node, std::string_view command);

/// The command that runs `command` as root on `node` with a terminal for sudo's
/// password: `ssh -t USER@ADDRESS 'sudo ...'` (plain `sudo ...` on the master).
std::string as_root_on(const Node& node, std::string_view command);

/// reach: does each node's sshd answer (the master's BatchMode logins tell).
std::vector<Finding> check_reach(const DoctorFacts& facts);

/// ssh-master-to-node, ssh-node-to-master, ssh-node-to-node: BatchMode logins, and when
/// one fails, why (diagnose_login).
std::vector<Finding> check_ssh(const DoctorFacts& facts, std::string_view id, const std::vector<Finding>& so_far);

/// Why a BatchMode login from `source` to `target` failed, read from ssh's stderr and,
/// when the target's probe answered, its files: the finding's evidence, fix and safe fix.
Finding diagnose_login(const DoctorFacts& facts, std::string_view id, const Node& source, const Node& target,
                       const SshAttempt& attempt);

std::vector<Finding> check_names(const DoctorFacts& facts, const std::vector<Finding>& so_far);
/// One skipped finding per planned node of `inventory`: planned, not yet a member, so not
/// checked (and not down), with the command that makes it one.
std::vector<Finding> check_planned(const Inventory& inventory);

std::vector<Finding> check_host_keys(const DoctorFacts& facts, const std::vector<Finding>& so_far);
std::vector<Finding> check_mpi(const DoctorFacts& facts, const std::vector<Finding>& so_far);
std::vector<Finding> check_ports(const DoctorFacts& facts, const std::vector<Finding>& so_far);
std::vector<Finding> check_interfaces(const DoctorFacts& facts, const std::vector<Finding>& so_far);
std::vector<Finding> check_clock(const DoctorFacts& facts, const std::vector<Finding>& so_far);
std::vector<Finding> check_disk(const DoctorFacts& facts, const std::vector<Finding>& so_far);
std::vector<Finding> check_program(const DoctorFacts& facts, const std::vector<Finding>& so_far);
/// users: each account of facts.users against the master's (users_plan.h's check_accounts).
std::vector<Finding> check_users(const DoctorFacts& facts, const std::vector<Finding>& so_far);

/// machinefile: `text` of machine file `file` (as the user names it) against the inventory.
std::vector<Finding> check_machine_file(const Inventory& inventory, std::string_view text, std::string_view file);

/// The cpi check's finding from what `beowulf run beowulf-cpi` printed (stdout and stderr),
/// whether it exited with 0, and whether it was ended after `limit_seconds`. A run that
/// printed its result and then did not exit is named for what it is: the ranks are stuck
/// in MPI_Finalize, as MPICH built on UCX does over TCP (openucx/ucx#8738).
Finding cpi_finding_of(std::string_view output, bool exited_ok, bool timed_out, int limit_seconds);

/// "MPICH 4.0.2" / "Open MPI 4.1.2" from `mpiexec --version`; empty when neither.
std::string mpi_of_mpiexec(std::string_view version_text);

/// "MPICH" / "Open MPI" from `mpicc -show` (-lmpich / -lmpi); empty when neither.
std::string mpi_of_mpicc(std::string_view show_text);

}  // namespace beowulf::cluster

namespace beowulf::cluster {

/// For check `id`: a skipped finding for each node it may not run on (a dependency
/// failed there, or its probe did not answer), and `judge(node, probe)` for the others.
std::vector<Finding> per_node(const DoctorFacts& facts, std::string_view id, const std::vector<Finding>& so_far,
                              const std::function<Finding(const Node&, const NodeProbe&)>& judge);

}  // namespace beowulf::cluster
