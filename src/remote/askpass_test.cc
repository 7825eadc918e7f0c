#include "remote/askpass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sys/process.h"
#include "sys/temp_dir.h"

namespace beowulf::remote {
namespace {

const std::string kHelper = std::string(BEOWULF_BINARY_DIR) + "/src/cli/beowulf-askpass";
const std::string kPassword = "s3cr3t 'pa$$' \"word\"";

TEST(PasswordPrompt, IsTheOnlyQuestionAnswered) {
  EXPECT_TRUE(is_password_prompt("linaro@198.18.0.11's password: "));
  EXPECT_TRUE(is_password_prompt("(linaro@198.18.0.11) Password: "));
  EXPECT_TRUE(is_password_prompt("Password:"));
  EXPECT_FALSE(is_password_prompt(
      "The authenticity of host '198.18.0.11 (198.18.0.11)' can't be established.\n"
      "ED25519 key fingerprint is SHA256:abc.\n"
      "Are you sure you want to continue connecting (yes/no/[fingerprint])? "));
  EXPECT_FALSE(is_password_prompt("Enter passphrase for key '/home/linaro/.ssh/id_ed25519': "));
  EXPECT_FALSE(is_password_prompt("Enter new password: "));
  EXPECT_FALSE(is_password_prompt("Retype new password: "));
  EXPECT_FALSE(is_password_prompt("Warning: the password: was wrong. Continue?"));
  EXPECT_FALSE(is_password_prompt(""));
}

/// Stands in for ssh: closes every inherited descriptor above stderr, as ssh does, then
/// runs "$SSH_ASKPASS" with the prompt it was given and prints what it got.
class AskpassTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_ssh_ = (dir_ / "fake-ssh").string();
    std::ofstream(fake_ssh_) << "#!/bin/bash\n"
                                "for fd in /proc/$$/fd/*; do n=${fd##*/}\n"
                                "  if [ \"$n\" -gt 2 ]; then eval \"exec $n>&-\"; fi\n"
                                "done\n"
                                // What a program it runs inherits: ls's own listing adds 3.
                                "inherited=$(ls /proc/self/fd | tr '\\n' ' ')\n"
                                "answer=$(\"$SSH_ASKPASS\" \"$1\")\n"
                                "printf 'status=%s fds=%s answer=[%s]\\n' \"$?\" \"$inherited\" \"$answer\"\n";
    chmod(fake_ssh_.c_str(), 0755);
  }

  std::unique_ptr<AskpassServer> server(std::size_t max_answers = 1) {
    auto started = AskpassServer::start(kPassword, {.helper = kHelper, .max_answers = max_answers,
                                                    .parent_dir = dir_.string()});
    EXPECT_TRUE(started.ok()) << started.error().message();
    return std::move(started).value();
  }

  sys::ProcessResult ssh_asks(const AskpassServer& server, const std::string& prompt) {
    auto r = sys::run({.argv = {fake_ssh_, prompt}, .env = server.environment()});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : sys::ProcessResult{};
  }

  sys::TempDir tmp_{"askpass_test"};
  std::filesystem::path dir_ = tmp_.path();
  std::string fake_ssh_;
};

TEST_F(AskpassTest, SshGetsThePasswordThoughItClosedEveryInheritedDescriptor) {
  auto s = server();
  auto r = ssh_asks(*s, "linaro@198.18.0.11's password: ");
  EXPECT_EQ(r.out, "status=0 fds=0 1 2 3  answer=[" + kPassword + "]\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(s->answers_given(), 1u);
}

TEST_F(AskpassTest, TheEnvironmentCarriesOnlyTheSocketsPath) {
  auto s = server();
  auto env = s->environment();
  EXPECT_EQ(env.at("SSH_ASKPASS"), kHelper);
  EXPECT_EQ(env.at("SSH_ASKPASS_REQUIRE"), "force");
  EXPECT_EQ(env.at("BEOWULF_ASKPASS_SOCKET"), s->socket_path());
  for (const auto& [name, value] : env) EXPECT_EQ(value.find("s3cr3t"), std::string::npos) << name;
}

TEST_F(AskpassTest, AHostKeyConfirmationGetsNothing) {
  auto s = server();
  auto r = ssh_asks(*s, "ED25519 key fingerprint is SHA256:abc.\n"
                        "Are you sure you want to continue connecting (yes/no/[fingerprint])? ");
  EXPECT_EQ(r.out, "status=1 fds=0 1 2 3  answer=[]\n");
  EXPECT_EQ(r.err,
            "beowulf-askpass: refusing to confirm a host key: beowulf trusts a new host key only at first "
            "contact, never a changed one\n");
  EXPECT_EQ(s->answers_given(), 0u);
}

TEST_F(AskpassTest, APassphrasePromptGetsNothing) {
  auto s = server();
  auto r = ssh_asks(*s, "Enter passphrase for key 'id': ");
  EXPECT_EQ(r.out, "status=1 fds=0 1 2 3  answer=[]\n");
  EXPECT_EQ(r.err, "beowulf-askpass: refusing to answer \"Enter passphrase for key 'id': \": only a login password is given\n");
}

TEST_F(AskpassTest, ThePasswordIsGivenABoundedNumberOfTimes) {
  auto s = server(2);
  EXPECT_EQ(ssh_asks(*s, "a@b's password: ").out, "status=0 fds=0 1 2 3  answer=[" + kPassword + "]\n");
  EXPECT_EQ(ssh_asks(*s, "a@c's password: ").out, "status=0 fds=0 1 2 3  answer=[" + kPassword + "]\n");
  auto third = ssh_asks(*s, "a@d's password: ");
  EXPECT_EQ(third.out, "status=1 fds=0 1 2 3  answer=[]\n");
  EXPECT_EQ(third.err, "beowulf-askpass: the askpass server refused: the password was already given 2 time(s)\n");
}

TEST_F(AskpassTest, TheServerItselfRefusesAnythingButAPasswordPrompt) {
  auto s = server();
  auto r = ask_askpass_server(s->socket_path(), "Are you sure you want to continue connecting (yes/no)? ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "the askpass server refused: not a password prompt");
  auto ok = ask_askpass_server(s->socket_path(), "(linaro@198.18.0.11) Password: ");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, kPassword);
}

TEST_F(AskpassTest, TheDirectoryIsPrivateAndGoneAfterwards) {
  std::string directory, socket;
  {
    auto s = server();
    directory = s->directory();
    socket = s->socket_path();
    struct stat st {};
    ASSERT_EQ(stat(directory.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(stat(socket.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
  }
  EXPECT_FALSE(std::filesystem::exists(directory));
  auto r = ask_askpass_server(socket, "a@b's password: ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "cannot reach the askpass server at " + socket + ": No such file or directory");
}

TEST_F(AskpassTest, TheHelperRefusesWithoutASocket) {
  auto r = sys::run({.argv = {kHelper, "a@b's password: "}, .unset_env = {"BEOWULF_ASKPASS_SOCKET"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1);
  EXPECT_EQ(r->out, "");
  EXPECT_EQ(r->err,
            "beowulf-askpass: BEOWULF_ASKPASS_SOCKET is not set: this helper answers only an ssh that beowulf "
            "started\n");
}

}  // namespace
}  // namespace beowulf::remote
