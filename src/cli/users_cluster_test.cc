// `beowulf users` on a virtual cluster whose boards joined as a user joins them: bad
// input refused with nothing changed, `users add student[01-03]` (the same UID on every
// node, key login from the master to every worker in BatchMode, `beowulf run` of
// beowulf-cpi as a student), a UID changed by hand on one node found by `users check`
// and by `doctor` with the node named, `users check --fix`, `users remove`.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "cli/joined_cluster.h"

namespace beowulf::cli {
namespace {

using ::testing::HasSubstr;

class UsersOnCluster : public JoinedCluster<UsersOnCluster> {
 public:
  static sim::UpOptions options() { return {.workers = 2}; }
  static std::string suffix() { return "u"; }

  /// Runs `beowulf args` in the master as `user`.
  static sys::ProcessResult beowulf_as(const std::string& user, const std::vector<std::string>& args) {
    std::vector<std::string> command = {"env", built_path(), "beowulf"};
    command.insert(command.end(), args.begin(), args.end());
    auto r = sim_->exec("master", command, {.user = user, .timeout = std::chrono::seconds(120)});
    if (!r.ok()) return sys::ProcessResult{.exit_code = -1, .err = r.error().message()};
    return *r;
  }

  /// `command` run as root on sim node `label`.
  static std::string as_root(const std::string& label, const std::string& command) {
    auto r = sim_->exec(label, {"sh", "-c", command});
    return r.ok() ? r->out : "exec failed: " + r.error().message();
  }
};

const std::vector<std::string> kNodes = {"master", "node1", "node2"};
const std::vector<std::string> kStudents = {"student01", "student02", "student03"};

// One sim per test process (ctest runs each test alone): the checks share one.
TEST_F(UsersOnCluster, StudentsGetTheSameAccountEverywhereAndRunMpi) {
  // No sudo password: `add` gave the boards' user password-less sudo on every member.
  {
    SCOPED_TRACE("BadInputIsRefusedBeforeAnythingChanges");
    auto bad = beowulf({"users", "add", "student01", "Student02"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_THAT(bad.err, HasSubstr("beowulf: error: 'Student02' is not a valid user name\n"));
    auto taken = beowulf({"users", "add", "student01", "--uid", "1000"});
    EXPECT_EQ(taken.exit_code, 2);
    EXPECT_THAT(taken.err, HasSubstr("beowulf: error: UID 1000 is taken on linaro-nano (by "));
    for (const auto& node : kNodes) EXPECT_EQ(as_root(node, "getent passwd student01"), "") << node;
  }
  {
    SCOPED_TRACE("UsersAddMakesTheSameUidEverywhere");
    auto add = beowulf({"users", "add", "student[01-03]"});
    ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
    EXPECT_THAT(add.out, HasSubstr("worker002    student03 created with UID "));
    for (const auto& student : kStudents) {
      std::string uid = as_root("master", "id -u " + student);
      ASSERT_FALSE(uid.empty());
      for (const auto& node : kNodes) EXPECT_EQ(as_root(node, "id -u " + student), uid) << student << " on " << node;
    }
  }
  {
    SCOPED_TRACE("EachStudentLogsInToEveryWorkerInBatchMode");
    for (const auto& student : kStudents)
      for (const char* worker : {"worker001", "worker002"}) {
        auto r = sim().exec("master", {"ssh", "-o", "BatchMode=yes", worker, "id -un"}, {.user = student});
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r->out, student + "\n") << student << " -> " << worker << ": " << r->err;
      }
  }
  {
    SCOPED_TRACE("AStudentRunsCpiAcrossTheCluster");
    auto run = beowulf_as("student02", {"run", "beowulf-cpi"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr("is on worker001\n"));
    EXPECT_THAT(run.out, HasSubstr("is on worker002\n"));
    EXPECT_THAT(run.out, HasSubstr("pi is approximately 3.14159265"));
    // Its ssh connections (kept open by ControlPersist) end, as a logout ends them:
    // usermod and userdel refuse a user who still has processes.
    (void)sim().exec("master",
               {"sh", "-c", "for s in ~/.beowulf/ssh/*; do [ -S \"$s\" ] && ssh -o ControlPath=\"$s\" -O exit x; done; true"},
               {.user = "student02"});
    auto gone = [] { return as_root("master", "pgrep -u student02 || true").empty(); };
    for (int i = 0; i < 100 && !gone(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_TRUE(gone()) << as_root("master", "ps -o pid,args -u student02");
  }
  {
    SCOPED_TRACE("AUidChangedByHandIsFoundWithItsNode");
    std::string uid = as_root("master", "id -u student02");
    as_root("node2", "usermod -u 1500 student02");
    auto check = beowulf({"users", "check"});
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_THAT(check.out, HasSubstr("✘ student02 on worker002: UID 1500, the master's is " + uid.substr(0, uid.size() - 1) +
                                     "\n  fix: beowulf users check --fix student02\n"));
    auto doctor = beowulf({"doctor"});
    EXPECT_EQ(doctor.exit_code, 1);
    EXPECT_THAT(doctor.out, HasSubstr("student02: UID 1500, the master's is"));
    EXPECT_THAT(doctor.out, HasSubstr("worker002"));
    EXPECT_THAT(doctor.out, HasSubstr("beowulf users check --fix student02"));
  }
  {
    SCOPED_TRACE("UsersCheckFixMendsIt");
    auto fix = beowulf({"users", "check", "--fix"});
    EXPECT_EQ(fix.exit_code, 0) << fix.out << fix.err;
    EXPECT_THAT(fix.out, HasSubstr("users check: 3 users the same on every node (3 nodes)\n"));
    EXPECT_EQ(as_root("node2", "id -u student02"), as_root("master", "id -u student02"));
  }
  {
    SCOPED_TRACE("UsersRemoveTakesThemAway");
    auto remove = beowulf({"users", "remove", "student[01-03]"});
    EXPECT_EQ(remove.exit_code, 0) << remove.out << remove.err;
    for (const auto& node : kNodes) EXPECT_EQ(as_root(node, "getent passwd student01 student02 student03"), "") << node;
    EXPECT_THAT(beowulf({"users", "check"}).out, HasSubstr("users check: no user to check"));
  }
}

}  // namespace
}  // namespace beowulf::cli
