#include "cluster/arch_check.h"

#include <gtest/gtest.h>

#include "cluster/doctor_report.h"

namespace beowulf::cluster {
namespace {

Node node(const std::string& name, const std::string& arch) {
  return Node{.name = name, .address = parse_ipv4("198.18.7.10").value(), .user = "linaro", .slots = 1,
              .arch = arch};
}

TEST(ArchCheck, OneArchitectureIsFine) {
  auto found = check_arch({node("master", "armhf"), node("worker001", "armhf"), node("worker002", "armhf")});
  EXPECT_EQ(format_findings(found), "✔ arch                master,worker[001-002]: armhf\n");
}

TEST(ArchCheck, AMixIsOneWarningNamingTheNodesOfEachArchitecture) {
  auto found = check_arch({node("master", "armhf"), node("worker001", "armhf"), node("worker002", "armhf"),
                           node("worker003", "arm64"), node("worker004", "amd64"), node("worker005", "arm64")});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].verdict, Verdict::warn);
  EXPECT_EQ(found[0].subject, "master,worker[001-005]");
  EXPECT_EQ(found[0].evidence,
            "armhf on master,worker[001-002]; arm64 on worker[003,005]; amd64 on worker004: a program is built "
            "for one architecture, and beowulf run refuses to send it to a node of another");
  EXPECT_EQ(found[0].fix,
            "build the program for each architecture; run each build on its own nodes: "
            "beowulf run -w master,worker[001-002] PROGRAM");
}

TEST(ArchCheck, ANodeWhoseArchitectureIsNotRecordedIsLeftOut) {
  // The master (init does not probe it) and nodes added by an older beowulf.
  auto found = check_arch({node("master", ""), node("worker001", "arm64"), node("worker002", "arm64")});
  EXPECT_EQ(format_findings(found), "✔ arch                worker[001-002]: arm64\n");
  EXPECT_EQ(check_arch({node("master", ""), node("worker001", "")}).size(), 0u);
  found = check_arch({node("master", ""), node("worker001", "arm64"), node("worker002", "armhf")});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].subject, "worker[001-002]");
}

}  // namespace
}  // namespace beowulf::cluster
