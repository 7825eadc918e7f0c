#include "cluster/doctor_probe.h"

#include <gtest/gtest.h>

#include "sys/process.h"

namespace beowulf::cluster {
namespace {

std::string line(const std::string& key, const std::string& value) {
  return key + " " + std::to_string(value.size()) + "\n" + value + "\n";
}

TEST(DoctorProbe, ParsesEveryFact) {
  std::string out = line("hostname", "worker002\n") + line("user", "linaro") + line("uid", "1000") +
                    line("machine_id", "0123abcd") +
                    line("host_keys", "ssh-ed25519 AAAAC3Nz root@linaro-nano\nssh-rsa AAAAB3 root@x\n") +
                    line("user_keys", "ssh-ed25519 AAAAuser linaro@worker002\n") +
                    line("authorized_keys", "# BEGIN beowulf\nssh-ed25519 AAAAmaster master\n# END beowulf\n") +
                    line("modes", "755 1000 /home/linaro\n700 1000 /home/linaro/.ssh\n- - /home/linaro/.ssh/authorized_keys\n") +
                    line("tcp_wrappers", "/etc/hosts.deny:3:sshd: ALL\n") +
                    line("cloud_hosts", "/etc/cloud/cloud.cfg:9:manage_etc_hosts: true\n") +
                    line("resolved", "master 198.18.7.10\nworker002 127.0.1.1\nworker003 \n") +
                    line("mpiexec_path", "/usr/bin/mpiexec") + line("interfaces", "eth0 198.18.7.12/24\ndocker0 172.17.0.1/16\n") +
                    line("free_kb", "2048000") + line("listener", "listening") +
                    line("ssh:master", "255\nlinaro@198.18.7.10: Permission denied (publickey,password).\n") +
                    line("ssh:worker003", "0\n");
  auto p = parse_probe(out);
  ASSERT_TRUE(p.ok()) << p.error().what;
  EXPECT_EQ(p->hostname, "worker002");
  EXPECT_EQ(p->uid, 1000);
  EXPECT_EQ(p->host_keys, (std::vector<std::string>{"ssh-ed25519 AAAAC3Nz", "ssh-rsa AAAAB3"}));
  EXPECT_EQ(p->user_keys, (std::vector<std::string>{"ssh-ed25519 AAAAuser"}));
  EXPECT_EQ(p->authorized_keys, (std::vector<std::string>{"ssh-ed25519 AAAAmaster"}));
  ASSERT_EQ(p->modes.size(), 3u);
  EXPECT_EQ(p->modes[0].mode, 0755);
  EXPECT_EQ(p->modes[1].path, "/home/linaro/.ssh");
  EXPECT_FALSE(p->modes[2].exists);
  EXPECT_EQ(p->tcp_wrappers, (std::vector<std::string>{"/etc/hosts.deny:3:sshd: ALL"}));
  EXPECT_EQ(p->cloud_hosts, (std::vector<std::string>{"/etc/cloud/cloud.cfg:9:manage_etc_hosts: true"}));
  EXPECT_EQ(p->resolved.at("worker002"), "127.0.1.1");
  EXPECT_EQ(p->resolved.at("worker003"), "");
  EXPECT_EQ(p->interfaces.size(), 2u);
  EXPECT_EQ(p->free_kb, 2048000);
  EXPECT_EQ(p->ssh.at("master").exit_code, 255);
  EXPECT_EQ(p->ssh.at("master").err, "linaro@198.18.7.10: Permission denied (publickey,password).\n");
  EXPECT_EQ(p->ssh.at("worker003").exit_code, 0);
}

TEST(DoctorProbe, RefusesAHeaderThatIsNotKeyLength) {
  auto p = parse_probe("hostname !!!\nworker002\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().what, "probe: a line is not 'KEY LENGTH': 'hostname !!!'");
}

TEST(DoctorProbe, RefusesAValueCutShort) {
  // A probe killed by the timeout mid-write.
  auto p = parse_probe("hostname 9\nworker002\nuser 6\nlin");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().what, "probe: the value of 'user' is cut short (6 bytes announced)");
}

// The real script on this machine, without logins or listener: what a node answers,
// whichever shell the node's user has and whatever locale ssh passed on. It runs in a
// network namespace of its own with no interface up, so that looking up the name that
// does not resolve cannot send a DNS query to this machine's resolver (no traffic).
void expect_script_runs_under(const std::string& shell) {
  ProbePlan plan{.names = {"localhost", "no-such-host.invalid"}, .program = "/bin/sh", .port = 0};
  auto r = sys::run({.argv = {"unshare", "--net", "--map-root-user", "env", "LANG=C.UTF-8", shell, "-c",
                              probe_script(plan)}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  auto p = parse_probe(r->out);
  ASSERT_TRUE(p.ok()) << p.error().what;
  EXPECT_FALSE(p->hostname.empty());
  EXPECT_GE(p->uid, 0);
  EXPECT_EQ(p->resolved.at("localhost"), "127.0.0.1");
  EXPECT_EQ(p->resolved.at("no-such-host.invalid"), "");
  EXPECT_EQ(p->program_sum.size(), 64u);
  ASSERT_TRUE(p->free_kb.has_value());
  EXPECT_FALSE(p->modes.empty());
}

TEST(DoctorProbe, TheScriptRunsUnderShAndItsOutputParses) { expect_script_runs_under("sh"); }
TEST(DoctorProbe, TheScriptRunsUnderBashAndItsOutputParses) { expect_script_runs_under("bash"); }

TEST(DoctorProbe, AValueOfManyLinesAndUtf8CharactersKeepsEveryByte) {
  // bash in a UTF-8 locale counts characters in ${#v}; the frame counts bytes.
  std::string value = "# Grüße, Jürgen\nssh-ed25519 AAAA jürgen@pi\n\nlast";
  std::string script = probe_script({.port = 0});
  script = script.substr(0, script.find("e hostname")) + "e authorized_keys '" + value + "'\n";
  auto r = sys::run({.argv = {"env", "LANG=C.UTF-8", "bash", "-c", script}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, line("authorized_keys", value));
}

TEST(DoctorProbe, ScriptTriesEachLoginInBatchModeOnAFreshConnection) {
  ProbePlan plan{.names = {"master"}, .ssh_targets = {{"master", "linaro@198.18.7.10"}}};
  std::string s = probe_script(plan);
  EXPECT_NE(s.find("-o BatchMode=yes"), std::string::npos);
  EXPECT_NE(s.find("-o ControlPath=none"), std::string::npos);
  EXPECT_NE(s.find("linaro@198.18.7.10 true"), std::string::npos);
  EXPECT_NE(s.find("e ssh:master"), std::string::npos);
  EXPECT_NE(s.find("47123 30 0"), std::string::npos);  // the listener's port, lifetime, connections
  EXPECT_EQ(s.find("StrictHostKeyChecking=no"), std::string::npos);
}

TEST(DoctorProbe, SurvivesAnyLengthField) {
  // SIZE_MAX + 1 wrapped round to 0: the check passed and the parser read past the end.
  for (const char* text : {"hostname 18446744073709551615\nx\n", "hostname 18446744073709551614\nx\n",
                           "hostname 3\nab", "hostname 99999999999999999999\nx\n"}) {
    auto r = parse_probe(text);
    EXPECT_FALSE(r.ok()) << text;
  }
  EXPECT_EQ(parse_probe("hostname 18446744073709551615\nx\n").error().what,
            "probe: the value of 'hostname' is cut short (18446744073709551615 bytes announced)");
  EXPECT_EQ(parse_probe("hostname 9\nworker001\n").value().hostname, "worker001");
}

TEST(DoctorProbe, ParsesConnectResults) {
  auto r = parse_connect_output("clock 1700000000.250\n198.18.7.11 ok\n198.18.7.12 fail Connection refused\n198.18.7.13 fail\n");
  EXPECT_EQ(r.at("198.18.7.11"), "");
  EXPECT_EQ(r.at("198.18.7.12"), "Connection refused");
  EXPECT_EQ(r.at("198.18.7.13"), "failed");
  EXPECT_EQ(r.size(), 3u);
}

}  // namespace
}  // namespace beowulf::cluster
