#pragma once
// Mux sessions: a command run on nodes over ssh's live ControlMaster sockets by speaking
// OpenSSH's multiplexing protocol (its PROTOCOL.mux, version 4) from this process, as an
// `ssh` client of that socket would, but with no ssh process per node: on a small board
// starting 16 ssh clients costs more than the work they carry. The remote side is the
// same as with `ssh NODE COMMAND` over the socket: the master opens a session channel and
// the node's sshd runs COMMAND with the user's shell.
//
// Contract:
// - Every job starts at once; the call returns when every job has ended, one MuxRun per
//   job, in order. Nothing is printed.
// - A job's socket is the one `ssh` would use for its target (Ssh::master_socket).
// - A job whose socket is missing or not known, refuses the connection, speaks another protocol or
//   refuses the session ends `no_master` before anything ran on its node: run that job
//   with the ssh client instead (which also makes a new master).
// - Once its session opened, a job ends `exited` with the command's exit status and
//   everything it wrote on stdout and stderr; `closed` when the master went away without
//   a status; `timed_out` when `timeout` passed since the start (its socket and pipes are
//   closed, the others go on); `cancelled`, every unfinished job at once, when `cancel_fd`
//   becomes readable.
// - The command's stdin is /dev/null.

#include <chrono>
#include <string>
#include <vector>

#include "remote/ssh.h"
#include "remote/target.h"

namespace beowulf::remote {

struct MuxJob {
  Target target;        ///< the node: its socket is the one `ssh` would ride on (Ssh::master_socket)
  std::string command;  ///< one string, for the remote user's shell
};

enum class MuxEnd { exited, no_master, closed, timed_out, cancelled };

struct MuxRun {
  MuxEnd end = MuxEnd::no_master;
  int exit_code = -1;  ///< exited: the command's status
  std::string out;
  std::string err;
  std::string reason;  ///< no_master, closed: why
};

std::vector<MuxRun> run_over_masters(const Ssh& ssh, const std::vector<MuxJob>& jobs,
                                     std::chrono::milliseconds timeout, int cancel_fd = -1);

}  // namespace beowulf::remote
