// `beowulf slurm` on a virtual cluster whose boards joined as a user joins them: one
// suite, one sim (Slurm's daemons take a while to start), the steps in the order a user
// takes them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>

#include <fmt/core.h>

#include "cli/joined_cluster.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class Slurm : public JoinedCluster<Slurm> {
 public:
  static sim::UpOptions options() { return {.workers = 3, .cgroups = true}; }
  static std::string suffix() { return "q"; }

 protected:
  /// Each node's munge key, slurm.conf and cgroup.conf hashes and daemons' pids.
  std::string fingerprint() {
    std::string all;
    for (const auto& label : {"master", "node1", "node2", "node3"}) {
      auto r = run(label, {"sh", "-c",
                           "sha256sum /etc/munge/munge.key /etc/slurm/slurm.conf /etc/slurm/cgroup.conf; "
                           "cat /run/munge/munged.pid /run/slurm/slurmd.pid; cat /run/slurm/slurmctld.pid 2>/dev/null"});
      all += std::string(label) + ":\n" + r.out + r.err;
    }
    return all;
  }

  /// The Slurm and munge processes on this machine, live or zombie: "PID STAT COMMAND" lines.
  std::string daemons_left() {
    auto r = sys::run({.argv = {"ps", "-eo", "pid,stat,comm"}});
    std::string left;
    if (!r) return "ps failed";
    std::istringstream in(r->out);
    for (std::string line; std::getline(in, line);)
      for (const char* name : {"munged", "slurmd", "slurmctld", "slurmstepd"})
        if (line.size() >= std::string(name).size() && line.substr(line.size() - std::string(name).size()) == name)
          left += line + "\n";
    return left;
  }
};

TEST_F(Slurm, UpProvesItselfIsIdempotentAndDownLeavesNothing) {
  std::string password = sim().board_password() + "\n";
  {
    SCOPED_TRACE("UpSetsUpAndProves");
    auto r = beowulf({"slurm", "up", "--password-stdin"}, password, std::chrono::seconds(300));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("✔ srun -N4 hostname: linaro-nano,worker[001-003]\n"));
    EXPECT_THAT(r.out, HasSubstr("✔ sbatch beowulf-cpi: pi is approximately 3.14159265"));
    EXPECT_THAT(r.out, HasSubstr("worker002: wrote slurm.conf, wrote cgroup.conf, started munge, started slurmd\n"));
  }
  {
    SCOPED_TRACE("TheUserRunsJobs");
    auto r = shell("master", "srun -N4 hostname | sort");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "linaro-nano\nworker001\nworker002\nworker003\n");
  }
  {
    SCOPED_TRACE("RunSlurmSubmitsCpiFollowsItsOutputAndExitsWithItsStatus");
    auto r = shell("master", "cd && export " + built_path() + " && beowulf run --slurm -n 4 beowulf-cpi");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.err, ::testing::ContainsRegex("run: submitted batch job [0-9]+ \\(4 tasks\\); its output, also in "
                                                "slurm-[0-9]+\\.out, follows\n"));
    for (int rank = 0; rank < 4; ++rank) EXPECT_THAT(r.out, HasSubstr(fmt::format("Process {} of 4 is on ", rank)));
    EXPECT_THAT(r.out, HasSubstr("pi is approximately 3.14159265"));
    // The daemons run in / as on a board: slurmstepd finds its way back after each step.
    EXPECT_THAT(r.out, Not(HasSubstr("Unable to return to working directory")));
    auto failed = shell("master", "cd && export " + built_path() + " && beowulf run --slurm --mpi mpich -n 1 -w worker002 false");
    EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
    EXPECT_EQ(shell("master", "cd && rm slurm-*.out").exit_code, 0);
  }
  {
    SCOPED_TRACE("ATaskFarmJobRequeuedResumesFromItsJournal");
    // examples/primes.sbatch on every node; once its journal holds some ranges the job is
    // requeued (what Slurm does when a node fails), then let go as soon as its nodes are
    // idle instead of after Slurm's 2-minute hold; the second run reads the journal and
    // sieves only the rest.
    std::string script = std::string(BEOWULF_SOURCE_DIR) + "/examples/primes.sbatch";
    auto submit = shell("master", "cd && export " + built_path() + " && sbatch --parsable -N4 -w linaro-nano " + script +
                                      " 1000000000");
    ASSERT_EQ(submit.exit_code, 0) << submit.out << submit.err;
    std::string job = submit.out.substr(0, submit.out.find('\n'));
    auto requeue = shell("master", fmt::format(
        "cd; for i in $(seq 600); do [ $(stat -c %s primes-{0}.journal 2>/dev/null || echo 0) -gt 500 ] && break; "
        "sleep 0.1; done; scontrol requeue {0} || exit 1; "
        "for i in $(seq 300); do squeue -h -j {0} -o %T | grep -qx PENDING && ! sinfo -h -o %t | grep -q comp && break; "
        "sleep 0.1; done; "
        "scontrol update jobid={0} StartTime=now || exit 1; "
        "for i in $(seq 1200); do [ -z \"$(squeue -h -j {0})\" ] && exit 0; sleep 0.1; done; exit 1", job));
    ASSERT_EQ(requeue.exit_code, 0) << "job " << job << " was not requeued or did not end: " << requeue.out << requeue.err;
    auto state = shell("master", "scontrol show job " + job + " | grep -o 'JobState=[A-Z]*\\|Restarts=[0-9]*'");
    EXPECT_EQ(state.out, "JobState=COMPLETED\nRestarts=1\n");
    auto out = shell("master", fmt::format("cd; cat primes-{0}.out; rm -f primes-{0}.out primes-{0}.journal", job));
    EXPECT_THAT(out.out, HasSubstr("CANCELLED AT "));
    EXPECT_THAT(out.out, HasSubstr(" DUE TO JOB REQUEUE ***\n"));
    EXPECT_THAT(out.out, HasSubstr("\nprimes below 1000000000: 50847534\n"));  // what a run without a requeue prints
    auto at = out.out.find("beowulf-primes: journal primes-" + job + ".journal: ");
    ASSERT_NE(at, std::string::npos) << out.out;
    int done = 0, sieved = 0;
    ASSERT_EQ(std::sscanf(out.out.c_str() + out.out.find(": ", at + 16) + 2,
                          "%d of 100 ranges already done, %d sieved now", &done, &sieved), 2)
        << out.out.substr(at);
    EXPECT_GT(done, 0) << "the ranges of the first run came from the journal";
    EXPECT_GT(sieved, 0) << "the job was requeued in the middle of its run";
    EXPECT_EQ(done + sieved, 100) << "no range was sieved twice";
  }
  {
    SCOPED_TRACE("ASecondUpChangesNoByte");
    auto before = fingerprint();
    auto r = beowulf({"slurm", "up", "--password-stdin", "--no-proof"}, password, std::chrono::seconds(300));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("nothing changed: Slurm was already set up\n"));
    EXPECT_EQ(fingerprint(), before);
  }
  {
    SCOPED_TRACE("StatusShowsNodesAndQueue");
    auto r = beowulf({"slurm", "status"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("\nworker003        idle       \n"));
    EXPECT_THAT(r.out, HasSubstr("queue: empty\n"));
  }
  {
    SCOPED_TRACE("RemoveAndAddKeepSlurmsNodeListInStep");
    // No --slurm and no terminal to ask on: the one command to run, and the user runs it.
    auto removed = beowulf({"remove", "worker003"}, "", std::chrono::seconds(300));
    ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
    EXPECT_THAT(removed.out, HasSubstr("Slurm's node list no longer matches the cluster: run 'beowulf slurm up'\n"));
    auto up = beowulf({"slurm", "up", "--password-stdin", "--no-proof"}, password, std::chrono::seconds(300));
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    EXPECT_EQ(shell("master", "sinfo -h -o %N").out, "linaro-nano,worker[001-002]\n");

    // On a terminal (script(1) gives add one) add asks, and a yes runs slurm up.
    auto on_terminal = sim().exec(
        "master",
        {"sh", "-c", "export " + built_path() + " && script -qec 'beowulf add " + sim().address("node3") +
                         " --password-stdin' /dev/null"},
        {.user = sim().board_user(), .input = password + "y\n", .timeout = std::chrono::seconds(300)});
    ASSERT_TRUE(on_terminal.ok()) << on_terminal.error().message();
    const auto& added = *on_terminal;
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
    EXPECT_THAT(added.out, HasSubstr("Slurm runs on this cluster: bring its node list in step now (beowulf slurm up)? "
                                     "[Y/n] "));
    EXPECT_THAT(added.out, HasSubstr("\x1b[32m✔\x1b[0m srun -N4 hostname: linaro-nano,worker[001-003]\r\n"));
    EXPECT_EQ(shell("master", "sinfo -h -o %N").out, "linaro-nano,worker[001-003]\n");
  }
  {
    SCOPED_TRACE("DoctorFindsEachFaultWithItsNodeAndCause");
    // worker001: munged stopped and slurmd killed; worker002: munged restarted with another
    // key; worker003: its slurm.conf edited.
    run("node1", {"sh", "-c", "kill $(cat /run/munge/munged.pid); kill -9 $(cat /run/slurm/slurmd.pid)"});
    run("node2", {"sh", "-c",
                  "p=$(cat /run/munge/munged.pid); dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; "
                  "kill $p; while kill -0 $p 2>/dev/null; do sleep 0.1; done; "
                  "echo 'exec setpriv --reuid munge --regid munge --init-groups /usr/sbin/munged -F "
                  "--pid-file=/run/munge/munged.pid --log-file=/run/munge/munged.log "
                  "--seed-file=/run/munge/munged.seed' > /run/beowulf-sim/start; sleep 1"});
    run("node3", {"sh", "-c", "echo '# edited by hand' >> /etc/slurm/slurm.conf"});
    auto down = shell("master", "for i in $(seq 90); do sinfo -h -n worker001 -o %t | grep -q down && exit 0; sleep 1; done; exit 1");
    ASSERT_EQ(down.exit_code, 0) << "worker001 never went down: " << down.out << down.err;

    auto r = beowulf({"doctor", "--no-cpi"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.out, HasSubstr("✘ slurm-munge         worker001: munged does not answer: munge: Error: Failed to "
                                 "access \"/run/munge/munge.socket.2\""));
    EXPECT_THAT(r.out, HasSubstr("✘ slurm-munge-key     worker002: cannot decode the master's credential: "));
    EXPECT_THAT(r.out, HasSubstr("✘ slurm-conf          worker003: its /etc/slurm/slurm.conf differs from the master's"));
    EXPECT_THAT(r.out, HasSubstr("✘ slurm-node          worker001: down* (Not responding)\n"
                                 "    fix: beowulf slurm up (it starts slurmd where it is stopped)\n"));

    auto healed = beowulf({"slurm", "up", "--password-stdin", "--no-proof"}, password, std::chrono::seconds(300));
    ASSERT_EQ(healed.exit_code, 0) << healed.out << healed.err;
    EXPECT_THAT(healed.out, HasSubstr("worker001: started munge, started slurmd\n"));
    EXPECT_THAT(healed.out, HasSubstr("worker002: wrote munge.key, restarted munge, restarted slurmd\n"));
    EXPECT_THAT(healed.out, HasSubstr("worker003: wrote slurm.conf, restarted slurmd\n"));
  }
  {
    SCOPED_TRACE("DownLeavesNoDaemonAndNoZombie");
    auto r = beowulf({"slurm", "down", "--password-stdin"}, password);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("worker001: stopped slurmd, stopped munge\n"));
    EXPECT_THAT(r.out, HasSubstr("linaro-nano: stopped slurmd, stopped slurmctld, stopped munge\n"));
    EXPECT_EQ(daemons_left(), "");
  }
}

}  // namespace
}  // namespace beowulf::cli
