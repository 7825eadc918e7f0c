#include <gtest/gtest.h>

#include "cluster/doctor_checks.h"
#include "cluster/remote_script.h"

namespace beowulf::cluster {
namespace {

Node node(const std::string& name, const std::string& address, Role role = Role::worker) {
  return Node{.name = name, .address = parse_ipv4(address).value(), .user = "linaro", .slots = 1, .role = role,
              .host_key = name == "worker002" ? "SHA256:old" : ""};
}

struct Fixture {
  DoctorFacts facts;
  Node master = node("master", "198.18.7.10", Role::master);
  Node worker = node("worker002", "198.18.7.12");
  Fixture() {
    (void)facts.inventory.put(master);
    (void)facts.inventory.put(worker);
    facts.nodes = {master, worker};
    NodeProbe m;
    m.user_keys = {"ssh-ed25519 MASTERKEY"};
    facts.probes["master"] = m;
    NodeProbe w;
    w.user = "linaro";
    w.uid = 1000;
    w.host_keys = {"ssh-rsa RSA", "ssh-ed25519 HOSTKEY"};
    w.authorized_keys = {"ssh-ed25519 MASTERKEY"};
    w.modes = {{"/home/linaro", true, 0755, 1000}, {"/home/linaro/.ssh", true, 0700, 1000},
               {"/home/linaro/.ssh/authorized_keys", true, 0600, 1000}};
    facts.probes["worker002"] = w;
  }
  Finding login(const std::string& err) {
    return diagnose_login(facts, "ssh-master-to-node", master, worker, {255, err});
  }
};

const std::string kDenied = "linaro@198.18.7.12: Permission denied (publickey,password).\n";

TEST(DiagnoseLogin, Works) {
  Fixture f;
  auto r = diagnose_login(f.facts, "ssh-master-to-node", f.master, f.worker, {0, ""});
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.subject, "worker002");
  EXPECT_EQ(r.evidence, "key login works");
}

TEST(DiagnoseLogin, ModesSshdRejects) {
  Fixture f;
  f.facts.probes["worker002"].modes[2].mode = 0666;
  auto r = f.login(kDenied);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.evidence,
            "sshd on worker002 refuses key login: /home/linaro/.ssh/authorized_keys is mode 666 (writable by others)");
  EXPECT_EQ(r.fix.line(),
            "beowulf exec -w worker002 -- 'chmod go-w ~ && chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys'");
  EXPECT_EQ(r.safe_fix.node, "worker002");
  f.facts.probes["worker002"].modes[2].mode = 0600;
  f.facts.probes["worker002"].modes[0].mode = 0775;
  EXPECT_EQ(f.login(kDenied).evidence, "sshd on worker002 refuses key login: /home/linaro is mode 775 (writable by its group)");
  f.facts.probes["worker002"].modes[0] = {"/home/linaro", true, 0755, 1001};
  EXPECT_EQ(f.login(kDenied).evidence, "sshd on worker002 refuses key login: /home/linaro is owned by uid 1001, not by linaro");
}

TEST(DiagnoseLogin, KeyMissingFromAuthorizedKeys) {
  Fixture f;
  f.facts.probes["worker002"].authorized_keys.clear();
  auto r = f.login(kDenied);
  EXPECT_EQ(r.evidence, "master's key (ssh-ed25519 MASTERKEY...) is not in worker002's ~/.ssh/authorized_keys");
  EXPECT_EQ(r.fix.line(), "beowulf add 198.18.7.12");
  EXPECT_EQ(r.safe_fix.script, authorize_key_script("ssh-ed25519 MASTERKEY"));
}

TEST(DiagnoseLogin, KeyRefusedWithoutTheTargetsProbe) {
  Fixture f;
  f.facts.probes.erase("worker002");
  EXPECT_EQ(f.login(kDenied).evidence,
            "key login to worker002 (198.18.7.12) refused: master's key is not in its ~/.ssh/authorized_keys, or sshd "
            "refuses the modes of its home");
}

TEST(DiagnoseLogin, HostKeyChangedNamesBothFingerprints) {
  Fixture f;
  std::string err =
      "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
      "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
      "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
      "The fingerprint for the ED25519 key sent by the remote host is\n"
      "SHA256:new.\n"
      "Host key verification failed.\n";
  auto r = f.login(err);
  EXPECT_EQ(r.evidence, "the host key of worker002 changed: ~/.ssh/known_hosts records SHA256:old, the node offers SHA256:new");
  EXPECT_EQ(r.fix.line(),
            "on worker002's console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub; if it prints SHA256:new: "
            "beowulf add 198.18.7.12 --new-host-key SHA256:new");
}

TEST(DiagnoseLogin, HostKeyUnknownIsAddedByTheSafeFix) {
  Fixture f;
  auto r = diagnose_login(f.facts, "ssh-node-to-node", f.worker, f.worker, {255, "Host key verification failed.\n"});
  EXPECT_EQ(r.subject, "worker002 -> worker002");
  EXPECT_EQ(r.evidence, "the host key of worker002 is not in worker002's ~/.ssh/known_hosts");
  EXPECT_EQ(r.safe_fix.script,
            "mkdir -p ~/.ssh && printf '%s\\n' 'worker002,198.18.7.12 ssh-ed25519 HOSTKEY' >> ~/.ssh/known_hosts");
}

TEST(DiagnoseLogin, HostsDenyQuotesTheLine) {
  Fixture f;
  f.facts.probes["worker002"].tcp_wrappers = {"/etc/hosts.allow:1:ALL: 10.0.0.0/8", "/etc/hosts.deny:3:sshd: ALL"};
  auto r = f.login("kex_exchange_identification: read: Connection reset by peer\n");
  EXPECT_EQ(r.evidence, "worker002 closed the connection: its /etc/hosts.deny:3:sshd: ALL refuses sshd");
  EXPECT_EQ(r.fix.line(), "ssh -t linaro@198.18.7.12 'sudo sh -c '\\''echo sshd: ALL >> /etc/hosts.allow'\\'''");
}

TEST(DiagnoseLogin, ASilentSshdIsReadAsTcpWrappers) {
  Fixture f;
  f.facts.probes["worker002"].tcp_wrappers = {"/etc/hosts.deny:3:sshd: ALL"};
  EXPECT_EQ(f.login("Connection timed out during banner exchange\nConnection to 198.18.7.12 port 22 timed out\n").evidence,
            "worker002 closed the connection: its /etc/hosts.deny:3:sshd: ALL refuses sshd");
}

TEST(DiagnoseLogin, RefusedAndUnreachable) {
  Fixture f;
  EXPECT_EQ(f.login("ssh: connect to host 198.18.7.12 port 22: Connection refused\n").evidence,
            "worker002 (198.18.7.12) refuses connections on port 22: sshd is not running");
  auto r = f.login("ssh: connect to host 198.18.7.12 port 22: No route to host\n");
  EXPECT_EQ(r.evidence, "master cannot reach worker002 (198.18.7.12): ssh: connect to host 198.18.7.12 port 22: No route to host");
  EXPECT_EQ(r.fix.line(), "ping -c 1 198.18.7.12   # then check its cable, address and the switch");
}

}  // namespace
}  // namespace beowulf::cluster
