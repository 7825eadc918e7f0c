#pragma once
// What /proc says about the processes a sim started: whether a recorded pid is still the
// process we started (and not a later process that reused its number), and whether a
// node's sshd listens.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "sim/state.h"

namespace beowulf::sim {

/// Field 22 of /proc/PID/stat (start time, clock ticks after boot), or nullopt when
/// there is no such process or it is a zombie.
std::optional<unsigned long long> start_time_of(pid_t pid);

/// A record for the running process `pid`, or nullopt when it is gone.
std::optional<ProcessRecord> record_of(pid_t pid);

/// True when the process recorded is still alive: same pid, same start time.
bool still_running(const ProcessRecord& record);

/// The pids of every process whose network namespace is one of the namespaces bound at
/// `netns_paths` (e.g. /run/netns/NAME; paths that do not exist are skipped). One pass over /proc.
std::vector<pid_t> pids_in_netns(const std::vector<std::string>& netns_paths);

/// True when `tcp_table` (the text of /proc/PID/net/tcp) has a socket listening on
/// `address`:`port` (or on 0.0.0.0:`port`).
bool listening_in(const std::string& tcp_table, const std::string& address, int port);

/// True when a socket listens on `address`:`port` in the network namespace of `pid`.
bool listening(pid_t pid, const std::string& address, int port);

}  // namespace beowulf::sim
