// MPICH across nodes, as the recipe does it: from the master, with keys installed by the
// test itself, `mpiexec -f FILE -n 4 beowulf-cpi` runs one rank on each of four hosts.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "sim/testing.h"

namespace beowulf::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class SimMpich : public SimTest<SimMpich> {
 public:
  static UpOptions options() { return {.workers = 3}; }
  static std::string suffix() { return "m"; }
};

TEST_F(SimMpich, CpiRunsOneRankOnEachOfFourHosts) {
  const auto& nodes = sim().state().nodes;
  // The recipe's step 2: unique hostnames, and a hosts table that maps each to its
  // cluster address (not 127.0.1.1, or the workers' proxies cannot reach the master).
  std::string hosts = "127.0.0.1\tlocalhost\n";
  for (std::size_t i = 0; i < nodes.size(); ++i)
    hosts += nodes[i].address + "\t" + (i == 0 ? std::string("master") : "worker00" + std::to_string(i)) + "\n";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::string name = i == 0 ? "master" : "worker00" + std::to_string(i);
    ASSERT_EQ(run(nodes[i].label, {"sh", "-c", "cat > /etc/hosts && echo $0 > /etc/hostname && hostname $0", name}, "",
                  hosts)
                  .exit_code,
              0);
  }
  // Step 1 and 2: the master's key, in every node's authorized_keys; host keys trusted once.
  auto key = run("master", {"sh", "-c", "ssh-keygen -q -t ed25519 -N '' -f ~/.ssh/id_ed25519 && cat ~/.ssh/id_ed25519.pub"},
                 "linaro");
  ASSERT_EQ(key.exit_code, 0) << key.err;
  for (const auto& node : nodes)
    ASSERT_EQ(run(node.label, {"sh", "-c", "mkdir -p -m 700 ~/.ssh && cat >> ~/.ssh/authorized_keys"}, "linaro", key.out)
                  .exit_code,
              0);
  auto scan = run("master", {"sh", "-c", "ssh-keyscan -t ed25519 master worker001 worker002 worker003 > ~/.ssh/known_hosts"},
                  "linaro");
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  // Step 3: the machine file and mpiexec.
  ASSERT_EQ(run("master", {"sh", "-c", "printf 'master\\nworker001\\nworker002\\nworker003\\n' > machine_file"}, "linaro")
                .exit_code,
            0);
  auto cpi = sim().exec("master",
                        {BEOWULF_MPIEXEC, "-f", "machine_file", "-n", "4", "-iface", "eth0",
                         std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi"},
                        {.user = "linaro", .timeout = std::chrono::seconds(60)});
  ASSERT_TRUE(cpi.ok()) << cpi.error().message();
  ASSERT_EQ(cpi->exit_code, 0) << cpi->out << cpi->err;
  std::set<std::string> hosts_seen;
  std::istringstream lines(cpi->out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("Process ", 0) == 0) {
      EXPECT_THAT(line, MatchesRegex("Process [0-3] of 4 is on (master|worker00[1-3])"));
      hosts_seen.insert(line.substr(line.rfind(' ') + 1));
    }
  EXPECT_EQ(hosts_seen, (std::set<std::string>{"master", "worker001", "worker002", "worker003"}));
  EXPECT_THAT(cpi->out, HasSubstr("pi is approximately 3.14159265"));
}

}  // namespace
}  // namespace beowulf::sim
