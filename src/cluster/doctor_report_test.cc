#include "cluster/doctor_report.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

TEST(DoctorReport, FoldsPairsByTheirSources) {
  std::vector<Finding> v;
  for (const char* pair : {"worker001 -> worker002", "worker002 -> worker001", "worker003 -> worker001"})
    v.push_back({.check = "ssh-node-to-node", .subject = pair, .evidence = "key login works"});
  EXPECT_EQ(format_findings(v), "✔ ssh-node-to-node    worker[001-003] (3 pairs): key login works\n");
}

TEST(DoctorReport, FoldsGoodNewsAndShowsEachProblemWithItsFix) {
  std::vector<Finding> v = {
      {.check = "reach", .subject = "worker001", .evidence = "sshd answers on port 22"},
      {.check = "reach", .subject = "worker002", .evidence = "sshd answers on port 22"},
      {.check = "reach", .subject = "worker003", .evidence = "sshd answers on port 22"},
      {.check = "ssh-master-to-node", .subject = "worker001", .evidence = "key login works"},
      {.check = "ssh-master-to-node", .subject = "worker002", .verdict = Verdict::fail,
       .evidence = "sshd on worker002 refuses key login: /home/linaro is mode 777 (writable by others)",
       .fix = "beowulf exec -w worker002 -- 'chmod go-w ~'"},
      {.check = "ssh-master-to-node", .subject = "worker003", .evidence = "key login works"},
      {.check = "names", .subject = "worker002", .verdict = Verdict::skipped, .evidence = "skipped: ssh-master-to-node failed"},
      {.check = "interfaces", .subject = "worker001", .verdict = Verdict::warn, .evidence = "2 candidate interfaces",
       .fix = "beowulf run PROGRAM"},
  };
  EXPECT_EQ(format_findings(v),
            "✔ reach               worker[001-003]: sshd answers on port 22\n"
            "✔ ssh-master-to-node  worker[001,003]: key login works\n"
            "✘ ssh-master-to-node  worker002: sshd on worker002 refuses key login: /home/linaro is mode 777 (writable by others)\n"
            "    fix: beowulf exec -w worker002 -- 'chmod go-w ~'\n"
            "- names               worker002: skipped: ssh-master-to-node failed\n"
            "! interfaces          worker001: 2 candidate interfaces\n"
            "    fix: beowulf run PROGRAM\n");
  EXPECT_EQ(format_summary(v, 4, std::chrono::milliseconds(1234)),
            "doctor: 4 checks on 4 nodes: 1 ✔, 1 !, 1 ✘, 1 skipped (1.2 s)\n");
}

}  // namespace
}  // namespace beowulf::cluster
