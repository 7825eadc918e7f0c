// `beowulf run --help`: what a user needs to know before the first run is on the page.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/run_beowulf.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;
using testing::run_beowulf;

TEST(RunHelp, ShowsStdinFilesSyncEnvNodesAndTheMpiChoiceWithExamples) {
  auto r = run_beowulf({"run", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* option : {"--sync PATH", "--env NAME[=VALUE]", "-w NODESET", "-x NODESET", "--mpi KIND", "-n N"})
    EXPECT_THAT(r.out, HasSubstr(option));
  EXPECT_THAT(r.out, HasSubstr("Standard input goes to rank 0"));
  EXPECT_THAT(r.out, HasSubstr("every argument that names a file of yours"));
  EXPECT_THAT(r.out, HasSubstr("Files\nthe ranks write stay on the node that wrote them"));
  EXPECT_THAT(r.out, HasSubstr("Ctrl-C ends every rank on every node and exits 130"));
  EXPECT_THAT(r.out, HasSubstr("printf '100000\\n0\\n' | beowulf run ./icpi\n"));
  EXPECT_THAT(r.out, HasSubstr("beowulf run -x worker003 --sync params/ ./my-program --size 1000\n"));
  EXPECT_THAT(r.out, HasSubstr("beowulf run -w 'worker[001-004]' --mpi openmpi ./ring_c"));
  EXPECT_THAT(r.out, HasSubstr("--env OMP_NUM_THREADS=1 python3 sum.py data.txt"));
}

}  // namespace
}  // namespace beowulf::cli
