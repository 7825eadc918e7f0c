#include "cluster/users_plan.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

NodeAccounts accounts(const std::string& text) { return parse_node_accounts(text).value(); }

const char* kFresh =
    "passwd root:x:0:0:root:/root:/bin/bash\n"
    "passwd linaro:x:1000:1000:,,,:/home/linaro:/bin/bash\n"
    "passwd nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "group root:x:0:\n"
    "group linaro:x:1000:\n"
    "group sudo:x:27:linaro\n";

TEST(NodeAccounts, ReadsGetentLinesAndHomes) {
  auto a = parse_node_accounts(std::string(kFresh) + "home linaro\n");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->users.at("linaro"), (Account{"linaro", 1000, 1000, "/home/linaro", "/bin/bash"}));
  EXPECT_EQ(a->groups.at("sudo"), 27);
  EXPECT_EQ(a->homes_present, (std::set<std::string>{"linaro"}));
  EXPECT_EQ(a->holder_of(1000), "linaro");
  EXPECT_EQ(a->holder_of(27), "group sudo");
  EXPECT_EQ(a->holder_of(1001), "");
}

TEST(NodeAccounts, RefusesALineOfAnotherShape) {
  auto a = parse_node_accounts("passwd broken\n");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().what, "the account database answered a line beowulf does not know: 'passwd broken'");
}

TEST(UserName, AsAdduserAllows) {
  EXPECT_TRUE(check_user_name("student01").ok());
  EXPECT_TRUE(check_user_name("a_b-c").ok());
  for (const char* bad : {"", "Student01", "1student", "-x", "a b", "x;rm", std::string(33, 'a').c_str()}) {
    auto s = check_user_name(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().kind, ErrorKind::bad_input);
  }
  EXPECT_EQ(check_user_name("Student01").error().what, "'Student01' is not a valid user name");
}

TEST(UidAllocation, TheNextUidFreeOnEveryNodeAsUidAndGid) {
  std::map<std::string, NodeAccounts> nodes = {
      {"linaro-nano", accounts(std::string(kFresh) + "passwd bob:x:1001:1001::/home/bob:/bin/bash\n")},
      {"worker001", accounts(std::string(kFresh) + "group staff2:x:1002:\n")},
      {"worker002", accounts(kFresh)},
  };
  auto plan = plan_accounts({"student01", "student02"}, std::nullopt, nodes);
  ASSERT_TRUE(plan.ok()) << plan.error().what;
  EXPECT_EQ(*plan, (std::vector<Account>{{"student01", 1003, 1003, "/home/student01", "/bin/bash"},
                                         {"student02", 1004, 1004, "/home/student02", "/bin/bash"}}));
}

TEST(UidAllocation, AGivenUidAndTheOnesAfterIt) {
  std::map<std::string, NodeAccounts> nodes = {{"worker001", accounts(kFresh)}};
  auto plan = plan_accounts({"student01", "student02"}, 2000, nodes);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ((*plan)[0].uid, 2000);
  EXPECT_EQ((*plan)[1].uid, 2001);
}

TEST(UidAllocation, RefusesAUidTakenOnSomeNode) {
  std::map<std::string, NodeAccounts> nodes = {
      {"worker001", accounts(kFresh)},
      {"worker002", accounts(std::string(kFresh) + "passwd bob:x:1500:1500::/home/bob:/bin/bash\n")},
  };
  auto plan = plan_accounts({"student01"}, 1500, nodes);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().what, "UID 1500 is taken on worker002 (by bob)");
  EXPECT_EQ(plan.error().kind, ErrorKind::bad_input);
}

TEST(UidAllocation, RefusesANameThatExists) {
  std::map<std::string, NodeAccounts> nodes = {{"linaro-nano", accounts(kFresh)}, {"worker001", accounts(kFresh)}};
  auto plan = plan_accounts({"linaro"}, std::nullopt, nodes);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().what, "linaro already exists on linaro-nano, worker001");
  EXPECT_EQ(plan.error().hint, "'beowulf users check linaro' compares it on every node");
}

TEST(UidAllocation, RefusesABadName) {
  auto plan = plan_accounts({"student01", "Bad"}, std::nullopt, {{"worker001", accounts(kFresh)}});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().what, "'Bad' is not a valid user name");
}

TEST(CheckAccounts, NamesTheNodeAndWhatDiffers) {
  std::string student = "passwd student01:x:1001:1001::/home/student01:/bin/bash\n";
  std::map<std::string, NodeAccounts> nodes = {
      {"linaro-nano", accounts(std::string(kFresh) + student + "home student01\n")},
      {"worker001", accounts(std::string(kFresh) + "passwd student01:x:1005:1001::/home/student01:/bin/bash\n"
                                                   "home student01\n")},
      {"worker002", accounts(kFresh)},
      {"worker003", accounts(std::string(kFresh) + student)},
  };
  auto problems = check_accounts({"student01"}, "linaro-nano", nodes);
  std::string fix = "beowulf users check --fix student01";
  EXPECT_EQ(problems, (std::vector<UserProblem>{
                          {"student01", "worker001", "UID 1005, the master's is 1001", fix},
                          {"student01", "worker002", "missing (UID 1001 elsewhere)", fix},
                          {"student01", "worker003", "its home /home/student01 is missing", fix},
                      }));
}

TEST(CheckAccounts, NothingWhenEveryNodeAgrees) {
  std::string student = "passwd student01:x:1001:1001::/home/student01:/bin/bash\nhome student01\n";
  std::map<std::string, NodeAccounts> nodes = {{"linaro-nano", accounts(std::string(kFresh) + student)},
                                               {"worker001", accounts(std::string(kFresh) + student)}};
  EXPECT_TRUE(check_accounts({"student01"}, "linaro-nano", nodes).empty());
}

}  // namespace
}  // namespace beowulf::cluster
