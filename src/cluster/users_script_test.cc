#include "cluster/users_script.h"

#include <gtest/gtest.h>

#include "sys/process.h"

namespace beowulf::cluster {
namespace {

std::string syntax_errors(const std::string& script) {
  auto r = sys::run({.argv = {"sh", "-n", "-c", script}});
  if (!r.ok()) return r.error().what;
  return r->exit_code == 0 ? "" : r->err;
}

const Account kStudent{"student01", 1001, 1001, "/home/student01", "/bin/bash"};

TEST(UsersScripts, AreValidShell) {
  UserChange everything{.account = kStudent, .create = true, .fix_ids = true, .make_home = true,
                        .keys = UserKeys{"-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
                                         "ssh-ed25519 AAAAC3 student01@master\n", "worker001,198.18.0.11 ssh-ed25519 AAAA\n"},
                        .extra_file = "schema = 1\n"};
  EXPECT_EQ(syntax_errors(users_apply_script({everything}, true)), "");
  EXPECT_EQ(syntax_errors(users_remove_script({"student01", "student02"})), "");
  EXPECT_EQ(syntax_errors(accounts_script({"student01"})), "");
}

TEST(UsersScripts, CreateTheAccountWithItsIdsAndThePasswordFromStdin) {
  std::string script = users_apply_script({UserChange{.account = kStudent, .create = true}}, true);
  EXPECT_NE(script.find("getent group student01 >/dev/null || groupadd -g 1001 student01\n"
                        "useradd -m -u 1001 -g 1001 -d /home/student01 -s /bin/bash student01\n"),
            std::string::npos);
  EXPECT_NE(script.find("IFS= read -r pw || true\n"), std::string::npos);
  EXPECT_NE(script.find("printf '%s:%s\\n' student01 \"$pw\" | chpasswd\n"), std::string::npos);
  std::string keys_only = users_apply_script({UserChange{.account = kStudent, .create = true}}, false);
  EXPECT_EQ(keys_only.find("chpasswd"), std::string::npos);
  // not useradd's '!': sshd refuses even key logins to a locked account
  EXPECT_NE(keys_only.find("usermod -p '*' student01\n"), std::string::npos);
}

TEST(UsersScripts, TheAccountsScriptReadsThisMachine) {
  auto r = sys::run({.argv = {"sh", "-c", accounts_script({"root", "no-such-user-here"})}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  auto accounts = parse_node_accounts(r->out);
  ASSERT_TRUE(accounts.ok()) << accounts.error().what;
  EXPECT_EQ(accounts->users.at("root").uid, 0);
  EXPECT_EQ(accounts->groups.at("root"), 0);
  EXPECT_EQ(accounts->homes_present, (std::set<std::string>{"root"}));
}

}  // namespace
}  // namespace beowulf::cluster
