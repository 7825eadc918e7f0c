// What `run --slurm` asks of sbatch, and how a job's end is read from scontrol.

#include "slurm/batch_job.h"

#include <gtest/gtest.h>

namespace beowulf::slurm {
namespace {

TEST(SbatchArgv, MapsTheAllocationAndQuotesTheCommand) {
  BatchRequest r{.command = {"/usr/bin/mpiexec.mpich", "/home/linaro/my prog", "it's"},
                 .tasks = 4,
                 .nodelist = "worker[001-002]",
                 .exclude = "worker003",
                 .output = "/home/linaro/.beowulf/slurm/run-%j.out",
                 .workdir = "/home/linaro/work"};
  EXPECT_EQ(sbatch_argv(r),
            (std::vector<std::string>{"sbatch", "--parsable", "-J", "beowulf-run", "--ntasks=4",
                                      "--nodelist=worker[001-002]", "--exclude=worker003",
                                      "--chdir=/home/linaro/work", "-o", "/home/linaro/.beowulf/slurm/run-%j.out",
                                      "--wrap",
                                      "exec /usr/bin/mpiexec.mpich '/home/linaro/my prog' 'it'\\''s'"}));
}

TEST(SbatchArgv, GivesTheJobItsVariablesThroughEnv) {
  BatchRequest r{.command = {"mpiexec.mpich", "./a.out"}, .env = {{"OMP_NUM_THREADS", "1"}}};
  EXPECT_EQ(sbatch_argv(r).back(), "exec env OMP_NUM_THREADS=1 mpiexec.mpich ./a.out");
}

TEST(ParseJobEnd, ReadsTheStateAndTheExitStatus) {
  auto end = parse_job_end("JobId=7 JobName=beowulf-run UserId=linaro(1000) JobState=FAILED Reason=NonZeroExitCode "
                           "Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 ExitCode=3:0 DerivedExitCode=0:0\n");
  ASSERT_TRUE(end.ok()) << end.error().what;
  EXPECT_EQ(end->state, "FAILED");
  EXPECT_EQ(end->exit_code, 3);
}

TEST(ParseJobEnd, ASignalIs128PlusItsNumber) {
  auto end = parse_job_end("JobId=8 JobState=CANCELLED ExitCode=0:15");
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->exit_code, 143);
}

TEST(ParseJobEnd, SaysWhenScontrolDoesNotTell) {
  auto end = parse_job_end("slurm_load_jobs error: Invalid job id specified\n");
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().what, "scontrol did not say how the job ended: slurm_load_jobs error: Invalid job id specified");
}

}  // namespace
}  // namespace beowulf::slurm
