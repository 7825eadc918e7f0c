#include "remote/explain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace beowulf::remote {
namespace {

using namespace std::chrono_literals;

const Target kWorker{"worker002", "198.18.0.12", "linaro", 22, false};
const Target kMaster{"linaro-nano", "198.18.0.10", "linaro", 22, true};

NodeRun exited(int status, std::string err = {}) {
  return NodeRun{"worker002", Outcome{.end = EventKind::exited, .exit_code = status}, "", std::move(err)};
}

NodeRun ended(EventKind end, std::string reason = {}) {
  return NodeRun{"worker002", Outcome{.end = end, .reason = std::move(reason)}, "", ""};
}

struct Case {
  std::string stderr_text;
  bool first_contact;
  SshFailure failure;
  std::string message;
  std::string hint;
};

TEST(SshFailures, AreExplainedInUserTerms) {
  std::vector<Case> cases = {
      {"linaro@198.18.0.12: Permission denied (publickey,password).\n", false, SshFailure::key_refused,
       "worker002 (198.18.0.12): ssh: key login refused",
       "the cluster's key is not in the node's ~/.ssh/authorized_keys: run `beowulf add` for it again"},
      {"Permission denied, please try again.\r\nlinaro@198.18.0.12: Permission denied (publickey,password).\r\n",
       true, SshFailure::wrong_password, "worker002 (198.18.0.12): ssh: wrong password",
       "check the password; the node's sshd must also allow password login for the first contact"},
      {"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
       "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
       "Host key verification failed.\n",
       false, SshFailure::host_key_changed, "worker002 (198.18.0.12): ssh: the node's host key has changed",
       "check the key on the board's console with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`; if the "
       "board was re-imaged, accept the key it prints with `beowulf add 198.18.0.12 --new-host-key SHA256:...`; "
       "otherwise someone may be intercepting the connection"},
      {"No ED25519 host key is known for 198.18.0.12 and you have requested strict checking.\n"
       "Host key verification failed.\n",
       false, SshFailure::host_key_unknown, "worker002 (198.18.0.12): ssh: the node's host key is not known",
       "add the node first: beowulf add 198.18.0.12"},
      {"ssh: connect to host 198.18.0.12 port 22: Connection refused\n", false, SshFailure::refused,
       "worker002 (198.18.0.12): ssh: connection refused",
       "the node is up but no sshd answers on port 22: start it (sudo systemctl start ssh)"},
      {"ssh: connect to host 198.18.0.12 port 22: No route to host\n", false, SshFailure::unreachable,
       "worker002 (198.18.0.12): ssh: cannot reach the node: No route to host",
       "check that the node is powered on and connected, and that its address is right"},
      {"ssh: connect to host 198.18.0.12 port 22: Connection timed out\n", false, SshFailure::unreachable,
       "worker002 (198.18.0.12): ssh: cannot reach the node: Connection timed out",
       "check that the node is powered on and connected, and that its address is right"},
      {"kex_exchange_identification: read: Connection reset by peer\n", false, SshFailure::closed,
       "worker002 (198.18.0.12): ssh: the node closed the connection before login",
       "the node's /etc/hosts.allow or /etc/hosts.deny may refuse this machine"},
      {"mux_client_request_session: something odd\r\n\n", false, SshFailure::other,
       "worker002 (198.18.0.12): ssh: mux_client_request_session: something odd", ""},
  };
  for (const Case& c : cases) {
    auto failed = ssh_failure(exited(255, c.stderr_text), kWorker, {.password_login = c.first_contact});
    ASSERT_TRUE(failed.has_value()) << c.stderr_text;
    EXPECT_EQ(failed->failure, c.failure) << c.stderr_text;
    EXPECT_EQ(failed->error.message(), c.message);
    EXPECT_EQ(failed->error.hint, c.hint);
    EXPECT_EQ(explain(exited(255, c.stderr_text), kWorker, {.password_login = c.first_contact}).message(), c.message);
  }
}

TEST(SshFailures, TheRemoteCommandsOwnStatusIsNotSshs) {
  EXPECT_FALSE(ssh_failure(exited(1, "Connection refused"), kWorker).has_value());
  EXPECT_FALSE(ssh_failure(exited(0), kWorker).has_value());
  EXPECT_FALSE(ssh_failure(exited(0), kWorker, {.ran = Ran::copy}).has_value());
  auto copy = ssh_failure(exited(1, "scp: /nope: No such file or directory\n"), kWorker, {.ran = Ran::copy});
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->error.message(), "worker002 (198.18.0.12): scp: /nope: No such file or directory");
}

TEST(SshFailures, AreNeverReadOnTheMasterItself) {
  // The master runs `sh -c` here: a 255 is its command's own status.
  EXPECT_FALSE(ssh_failure(exited(255, "Connection refused\n"), kMaster).has_value());
  EXPECT_EQ(explain(exited(255), kMaster, {.ran = Ran::command}).message(), "linaro-nano (198.18.0.10): exited with 255");
}

TEST(SshFailures, AChangedKeyIsNeverForgottenBlindly) {
  // `ssh-keygen -R` then add would trust whatever answers at the address.
  auto explained = read_ssh_stderr("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!", kWorker);
  EXPECT_THAT(explained.error.hint, ::testing::Not(::testing::HasSubstr("ssh-keygen -R")));
  EXPECT_THAT(explained.error.hint, ::testing::HasSubstr("--new-host-key SHA256:..."));
}

TEST(Explain, SudoRefusalsNameTheUserAndTheFix) {
  Error e = explain(exited(1, "sudo: a password is required\n"), kWorker);
  EXPECT_EQ(e.message(), "worker002 (198.18.0.12): sudo asked for a password");
  EXPECT_EQ(e.hint,
            "beowulf sends the boards' password only to the nodes it adds; give linaro password-less sudo there, as "
            "root: echo 'linaro ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/zz_beowulf-nopasswd");
  EXPECT_EQ(explain(exited(1, "Sorry, try again.\nsudo: 3 incorrect password attempts\n"), kWorker).message(),
            "worker002 (198.18.0.12): sudo: wrong password");
  e = explain(exited(1, "linaro is not in the sudoers file.  This incident will be reported.\n"), kWorker);
  EXPECT_EQ(e.message(), "worker002 (198.18.0.12): sudo refused: linaro may not use sudo");
  EXPECT_EQ(e.hint, "on the node, as root: usermod -aG sudo linaro");
  EXPECT_EQ(explain(exited(1, "sudo: sorry, you must have a tty to run sudo; a terminal is required\n"), kWorker).message(),
            "worker002 (198.18.0.12): sudo refused: it demands a terminal (requiretty)");
}

TEST(Explain, AScriptSaysItsLastStderrLineACommandItsStatus) {
  NodeRun run = exited(3, "first\nsed: cannot read /etc/hostname \r\n\n");
  EXPECT_EQ(explain(run, kWorker).message(), "worker002 (198.18.0.12): sed: cannot read /etc/hostname");
  EXPECT_EQ(explain(run, kWorker, {.ran = Ran::command}).message(), "worker002 (198.18.0.12): exited with 3");
  EXPECT_EQ(explain(exited(3), kWorker).message(), "worker002 (198.18.0.12): exited with 3");
}

TEST(Explain, TimeoutsPrintTheirDurationOneWay) {
  NodeRun run = ended(EventKind::timed_out);
  Error e = explain(run, kWorker, {.timeout = 1500ms});
  EXPECT_EQ(e.message(), "worker002 (198.18.0.12): no answer within 1.5 s");
  EXPECT_EQ(e.hint, "the node may be down or overloaded; run the command again");
  EXPECT_EQ(explain(run, kWorker, {.timeout = 10s}).what, "no answer within 10 s");
  EXPECT_EQ(explain(run, kWorker, {.ran = Ran::command, .timeout = 1500ms}).what, "timed out after 1.5 s");
  EXPECT_EQ(seconds_text(200ms), "0.2 s");
  EXPECT_EQ(seconds_text(3s), "3 s");
}

TEST(Explain, SignalsInterruptionsAndStartFailures) {
  NodeRun killed{"worker002", Outcome{.end = EventKind::exited, .exit_code = -1, .signal = 9}, "", "ignored\n"};
  EXPECT_EQ(explain(killed, kWorker).what, "killed by signal 9");
  EXPECT_EQ(explain(ended(EventKind::cancelled), kWorker).what, "interrupted");
  EXPECT_EQ(explain(ended(EventKind::could_not_start, "ssh: No such file or directory"), kWorker).what,
            "could not start: ssh: No such file or directory");
}

TEST(FailureLine, NamesTheNodeAsPdshDoes) {
  EXPECT_EQ(failure_line(kWorker, exited(0).outcome, "", 10s), std::nullopt);
  EXPECT_EQ(failure_line(kWorker, exited(2).outcome, "said\n", 10s), "worker002: exited with 2");
  EXPECT_EQ(failure_line(kWorker, ended(EventKind::timed_out).outcome, "", 10s), "worker002: timed out after 10 s");
  EXPECT_EQ(failure_line(kWorker, exited(255).outcome, "ssh: connect to host 198.18.0.12 port 22: Connection refused\n", 10s),
            "worker002: ssh: connection refused");
}

TEST(LastLine, IsTheLastNonEmptyLineTrimmed) {
  EXPECT_EQ(last_line(""), "");
  EXPECT_EQ(last_line("one"), "one");
  EXPECT_EQ(last_line("one\ntwo \r\n\n"), "two");
}

}  // namespace
}  // namespace beowulf::remote
