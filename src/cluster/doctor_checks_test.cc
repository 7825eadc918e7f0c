#include "cluster/doctor_checks.h"

#include <gtest/gtest.h>

namespace beowulf::cluster {
namespace {

Node node(const std::string& name, const std::string& address, Role role = Role::worker) {
  return Node{.name = name, .address = parse_ipv4(address).value(), .user = "linaro", .slots = 1, .role = role};
}

/// A healthy cluster of a master and two workers, every probe answered.
DoctorFacts healthy() {
  DoctorFacts f;
  std::vector<Node> nodes = {node("master", "198.18.7.10", Role::master), node("worker001", "198.18.7.11"),
                             node("worker002", "198.18.7.12")};
  for (const auto& n : nodes) (void)f.inventory.put(n);
  f.nodes = nodes;
  int i = 0;
  for (const auto& n : nodes) {
    NodeProbe p;
    p.hostname = n.name;
    p.user = "linaro";
    p.uid = 1000;
    p.machine_id = "id" + std::to_string(i);
    p.host_keys = {"ssh-ed25519 HOST" + std::to_string(i)};
    p.user_keys = {"ssh-ed25519 USER" + std::to_string(i)};
    p.authorized_keys = {"ssh-ed25519 USER0", "ssh-ed25519 USER1", "ssh-ed25519 USER2"};
    p.modes = {{"/home/linaro", true, 0755, 1000}, {"/home/linaro/.ssh", true, 0700, 1000},
               {"/home/linaro/.ssh/authorized_keys", true, 0600, 1000}};
    for (const auto& m : nodes) p.resolved[m.name] = m.address.str();
    p.mpiexec_path = "/usr/bin/mpiexec";
    p.mpiexec_version = "HYDRA build details:\n    Version:                                 4.0.2\n";
    p.mpicc_show = "gcc -I/usr/include/x86_64-linux-gnu/mpich -lmpich";
    p.interfaces = {"eth0 " + n.address.str() + "/24"};
    p.free_kb = 4'000'000;
    p.listener = "listening";
    for (const auto& m : nodes)
      if (m.name != n.name && (n.role == Role::master || m.role == Role::master || true)) p.ssh[m.name] = {0, ""};
    f.probes[n.name] = p;
    f.clock_skew[n.name] = {.ahead = 0.1, .error = 0.02};
    ++i;
  }
  for (const auto& a : nodes)
    for (const auto& b : nodes)
      if (a.name != b.name) f.connects[a.name][b.address.str()] = "";
  return f;
}

std::vector<Finding> all(const DoctorFacts& f) {
  std::vector<Finding> v = check_reach(f);
  for (const char* id : {"ssh-master-to-node", "ssh-node-to-master", "ssh-node-to-node"}) {
    auto more = check_ssh(f, id, v);
    v.insert(v.end(), more.begin(), more.end());
  }
  for (auto check : {check_names, check_host_keys, check_mpi, check_ports, check_interfaces, check_clock, check_disk}) {
    auto more = check(f, v);
    v.insert(v.end(), more.begin(), more.end());
  }
  return v;
}

const Finding* first_bad(const std::vector<Finding>& v) {
  for (const auto& f : v)
    if (f.verdict != Verdict::ok) return &f;
  return nullptr;
}

TEST(DoctorChecks, AHealthyClusterIsAllOk) {
  auto v = all(healthy());
  EXPECT_EQ(first_bad(v), nullptr) << first_bad(v)->check << " " << first_bad(v)->evidence;
  EXPECT_EQ(v.size(), 2u + 2 + 2 + 2 + 7 * 3);  // reach, 3 ssh (2 each, pairs 2) + 7 per node
}

TEST(DoctorChecks, APlannedNodeIsShownPlannedNotDownNorResolved) {
  DoctorFacts f = healthy();
  Node planned = node("worker003", "198.18.7.13");
  planned.planned = true;
  ASSERT_TRUE(f.inventory.put(planned).ok());
  auto found = check_planned(f.inventory);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].subject, "worker003");
  EXPECT_EQ(found[0].verdict, Verdict::skipped);
  EXPECT_EQ(found[0].evidence, "planned (198.18.7.13), not yet a member: not checked");
  EXPECT_EQ(found[0].fix.line(), "beowulf add --planned");
  EXPECT_EQ(first_bad(all(f)), nullptr) << "a planned node was checked as a member";
}

TEST(DoctorChecks, NamesSeesLoopbackNothingAndAnotherNodesAddress) {
  auto f = healthy();
  f.probes["worker002"].resolved["worker002"] = "127.0.1.1";
  f.probes["worker002"].resolved["worker001"] = "";
  f.probes["worker002"].resolved["master"] = "198.18.7.11";
  auto v = check_names(f, {});
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[2].verdict, Verdict::fail);
  EXPECT_EQ(v[2].evidence,
            "on worker002: master resolves to 198.18.7.11 (worker001's address), not 198.18.7.10; worker001 does not "
            "resolve; worker002 resolves to 127.0.1.1, not 198.18.7.12");
  EXPECT_EQ(v[2].fix.line(), "beowulf add 198.18.7.12");
  EXPECT_EQ(v[2].fix, Fix::add("198.18.7.12"));  // what doctor --fix acts on, not the text
}

TEST(DoctorChecks, NamesSeesAHostnameThatIsNotTheInventorys) {
  auto f = healthy();
  f.probes["worker001"].hostname = "linaro-nano";
  auto v = check_names(f, {});
  EXPECT_EQ(v[1].evidence, "on worker001: its hostname is linaro-nano, the inventory says worker001");
}

// cloud-init with `manage_etc_hosts: true` renders /etc/hosts anew at every boot, and
// beowulf's hosts block with it: a warning with the line that says so and its fix.
TEST(DoctorChecks, NamesWarnsOfACloudInitThatRewritesHostsAtEveryBoot) {
  auto f = healthy();
  f.probes["worker001"].cloud_hosts = {"/etc/cloud/cloud.cfg.d/50-x.cfg:2:manage_etc_hosts: false",
                                       "/boot/firmware/user-data:7:manage_etc_hosts: 'True'  # rpi-imager"};
  f.probes["worker002"].cloud_hosts = {"/etc/hosts:6:# Your system has configured 'manage_etc_hosts' as True.",
                                       "/etc/cloud/cloud.cfg.d/99-beowulf.cfg:1:manage_etc_hosts: localhost"};
  auto v = check_names(f, {});
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1].verdict, Verdict::warn);
  EXPECT_EQ(v[1].evidence,
            "cloud-init rewrites /etc/hosts at every boot (/boot/firmware/user-data:7:manage_etc_hosts: 'True'  # "
            "rpi-imager): the cluster's names go at the next reboot");
  EXPECT_EQ(v[1].fix.line(), "ssh -t linaro@198.18.7.11 'sudo sed -i '\\''s/^\\([[:space:]]*manage_etc_hosts:\\).*/\\1 "
                      "localhost/'\\'' /boot/firmware/user-data'");
  EXPECT_EQ(v[2].verdict, Verdict::ok) << "the last word (localhost) wins over the rendered header";

  f.probes["worker002"].cloud_hosts.pop_back();
  auto header = check_names(f, {});
  EXPECT_EQ(header[2].verdict, Verdict::warn);
  EXPECT_EQ(header[2].fix.line(), "ssh -t linaro@198.18.7.12 'sudo cloud-init query userdata | grep -n manage_etc_hosts'");
}

TEST(DoctorChecks, HostKeysNamesTheCloneAndTheOriginal) {
  auto f = healthy();
  f.probes["worker002"].host_keys = f.probes["worker001"].host_keys;
  f.probes["worker002"].machine_id = f.probes["worker001"].machine_id;
  f.fingerprints["ssh-ed25519 HOST1"] = "SHA256:abc";
  auto v = check_host_keys(f, {});
  EXPECT_EQ(v[1].verdict, Verdict::ok);
  EXPECT_EQ(v[2].verdict, Verdict::fail);
  EXPECT_EQ(v[2].evidence,
            "shares its ssh host key SHA256:abc with worker001; shares /etc/machine-id with worker001 (a cloned SD card)");
  EXPECT_EQ(v[2].fix.line(),
            "ssh -t linaro@198.18.7.12 'sudo sh -c '\\''rm -f /etc/ssh/ssh_host_*_key* /etc/machine-id && ssh-keygen -A "
            "&& systemd-machine-id-setup && systemctl restart ssh'\\''' && beowulf add 198.18.7.12");
}

TEST(DoctorChecks, MpiVersionsFromTheirOutput) {
  EXPECT_EQ(mpi_of_mpiexec("HYDRA build details:\n    Version:                                 4.0.2\n"), "MPICH 4.0.2");
  EXPECT_EQ(mpi_of_mpiexec("mpiexec (OpenRTE) 4.1.2\n\nReport bugs to http://www.open-mpi.org/community/help/\n"),
            "Open MPI 4.1.2");
  EXPECT_EQ(mpi_of_mpiexec("mpiexec (Open MPI) 5.0.3\n"), "Open MPI 5.0.3");
  EXPECT_EQ(mpi_of_mpiexec("sh: mpiexec: not found"), "");
  EXPECT_EQ(mpi_of_mpicc("gcc -I/usr/lib/x86_64-linux-gnu/openmpi/include -lmpi"), "Open MPI");
  EXPECT_EQ(mpi_of_mpicc("gcc -lmpich"), "MPICH");
}

constexpr std::string_view kCpiOutput =
    "Process 0 of 3 is on linaro-nano\npi is approximately 3.1415926544231323, Error is 0.0000000008333392\n"
    "wall clock time = 0.002\n";

TEST(DoctorChecks, CpiIsOkWithItsResultLine) {
  auto f = cpi_finding_of(kCpiOutput, true, false, 60);
  EXPECT_EQ(f.verdict, Verdict::ok);
  EXPECT_EQ(f.evidence, "pi is approximately 3.1415926544231323, Error is 0.0000000008333392");
}

// What a cluster of amd64 or arm64 boards with Debian 12's MPICH meets: the result, then
// no exit. Before, doctor said only "timed out after 60 s".
TEST(DoctorChecks, CpiThatPrintedItsResultAndDidNotExitIsNamedTheFinalizeHang) {
  auto f = cpi_finding_of(kCpiOutput, false, true, 60);
  EXPECT_EQ(f.verdict, Verdict::fail);
  EXPECT_EQ(f.evidence,
            "beowulf-cpi printed its result (pi is approximately 3.1415926544231323, Error is 0.0000000008333392) and "
            "then did not exit within 60 s: its ranks are stuck in MPI_Finalize, as MPICH built on UCX (Debian's, on "
            "amd64 and arm64) is over TCP (openucx/ucx#8738); a program built with Open MPI (mpicc.openmpi) exits, and "
            "beowulf run starts it with Open MPI");
  EXPECT_EQ(f.fix.line(), "beowulf exec -- sudo apt-get install -y openmpi-bin libopenmpi-dev");
}

TEST(DoctorChecks, CpiWithoutAResultIsATimeoutOrTheEndOfWhatItPrinted) {
  auto silent = cpi_finding_of("Process 0 of 3 is on linaro-nano\n", false, true, 60);
  EXPECT_EQ(silent.verdict, Verdict::fail);
  EXPECT_EQ(silent.evidence, "beowulf run beowulf-cpi timed out after 60 s");
  EXPECT_EQ(silent.fix.line(), "beowulf run -v beowulf-cpi");
  auto failed = cpi_finding_of("beowulf: error: worker002: beowulf-cpi: no such file\n\n", false, false, 60);
  EXPECT_EQ(failed.evidence, "beowulf run beowulf-cpi failed: beowulf: error: worker002: beowulf-cpi: no such file");
  // A result, but a failing rank after it: a failure, not the hang.
  auto rank_failed = cpi_finding_of(std::string(kCpiOutput) + "rank 2 exited with code 1", false, false, 60);
  EXPECT_EQ(rank_failed.verdict, Verdict::fail);
  EXPECT_EQ(rank_failed.evidence.rfind("beowulf run beowulf-cpi failed: ", 0), 0u) << rank_failed.evidence;
}

TEST(DoctorChecks, MpiMissingOrDifferent) {
  auto f = healthy();
  f.probes["worker001"].mpiexec_path.clear();
  f.probes["worker002"].mpiexec_version = "mpiexec (OpenRTE) 4.1.2\n";
  f.probes["worker002"].mpicc_show = "gcc -lmpi";
  auto v = check_mpi(f, {});
  EXPECT_EQ(v[0].evidence, "MPICH 4.0.2");
  EXPECT_EQ(v[1].evidence, "no mpiexec on the PATH of a non-interactive ssh command");
  EXPECT_EQ(v[1].fix.line(), "ssh -t linaro@198.18.7.11 'sudo apt-get install -y mpich'");
  EXPECT_EQ(v[2].evidence, "Open MPI 4.1.2 here, MPICH 4.0.2 on the master");
}

TEST(DoctorChecks, PortsNamesTheNodeNobodyReaches) {
  auto f = healthy();
  f.connects["master"]["198.18.7.12"] = "timed out";
  f.connects["worker001"]["198.18.7.12"] = "timed out";
  auto v = check_ports(f, {});
  EXPECT_EQ(v[0].verdict, Verdict::ok);
  EXPECT_EQ(v[1].verdict, Verdict::ok);
  EXPECT_EQ(v[2].verdict, Verdict::fail);
  EXPECT_EQ(v[2].evidence,
            "no node can open TCP port 47123 on worker002 (master, worker001: timed out): its firewall blocks what MPI "
            "needs");
  EXPECT_EQ(v[2].fix.line(), "ssh -t linaro@198.18.7.12 'sudo iptables -I INPUT -p tcp -s 198.18.7.0/24 -j ACCEPT'");
}

TEST(DoctorChecks, PortsNamesTheNodeThatCannotConnectOut) {
  auto f = healthy();
  f.connects["worker001"]["198.18.7.10"] = "Connection refused";
  f.connects["worker001"]["198.18.7.12"] = "Connection refused";
  auto v = check_ports(f, {});
  EXPECT_EQ(v[1].evidence,
            "worker001 cannot open TCP port 47123 on any node (master, worker002): its firewall blocks outgoing "
            "connections");
}

TEST(DoctorChecks, InterfacesClockAndDisk) {
  auto f = healthy();
  f.probes["worker001"].interfaces.push_back("docker0 172.17.0.1/16");
  f.clock_skew["worker002"] = {.ahead = -3.24, .error = 0.05};
  f.clock_skew["worker001"] = {.ahead = 1.4, .error = 0.6};  // a slow reading: not proven off by 1 s
  f.probes["worker002"].free_kb = 50 * 1024;
  auto i = check_interfaces(f, {});
  EXPECT_EQ(i[1].verdict, Verdict::warn);
  EXPECT_EQ(i[1].evidence,
            "2 candidate interfaces (eth0 198.18.7.11/24, docker0 172.17.0.1/16): MPI may pick the wrong one; beowulf "
            "run pins eth0 (hydra -iface)");
  auto c = check_clock(f, {});
  EXPECT_EQ(c[2].verdict, Verdict::fail);
  EXPECT_EQ(c[2].evidence, "3.2 s behind the master's (read within 0.1 s)");
  EXPECT_EQ(c[2].fix.line(), "beowulf time up");
  EXPECT_EQ(c[1].verdict, Verdict::ok);
  auto d = check_disk(f, {});
  EXPECT_EQ(d[2].evidence, "only 50 MB free in the home of linaro");
  EXPECT_EQ(d[2].fix.line(), "beowulf exec -w worker002 -- 'du -sh ~/* | sort -h | tail'");
}

TEST(DoctorChecks, UsersNamesTheNodeWhoseUidDiffers) {
  auto f = healthy();
  f.users = {"student01"};
  std::string same = "passwd student01:x:1001:1001::/home/student01:/bin/bash\nhome student01\n";
  for (const auto& n : f.nodes) f.accounts[n.name] = parse_node_accounts(same).value();
  f.accounts["worker002"] = parse_node_accounts("passwd student01:x:1005:1001::/home/student01:/bin/bash\n"
                                                "home student01\n").value();
  auto u = check_users(f, {});
  ASSERT_EQ(u.size(), f.nodes.size());
  EXPECT_EQ(u[1].verdict, Verdict::ok);
  EXPECT_EQ(u[1].evidence, "1 account as on the master");
  EXPECT_EQ(u[2].subject, "worker002");
  EXPECT_EQ(u[2].verdict, Verdict::fail);
  EXPECT_EQ(u[2].evidence, "student01: UID 1005, the master's is 1001");
  EXPECT_EQ(u[2].fix.line(), "beowulf users check --fix student01");
  f.users.clear();
  EXPECT_TRUE(check_users(f, {}).empty());  // no account made by beowulf: nothing to say
}

TEST(DoctorChecks, ProgramMissingOrDifferent) {
  auto f = healthy();
  f.program = "/home/linaro/primes";
  f.probes["master"].program_sum = std::string(64, 'a');
  f.probes["worker001"].program_sum = std::string(64, 'b');
  auto v = check_program(f, {});
  EXPECT_EQ(v[0].verdict, Verdict::ok);
  EXPECT_EQ(v[1].evidence, "/home/linaro/primes differs from the master's (sha256 bbbbbbbbbbbb... here)");
  EXPECT_EQ(v[2].evidence, "/home/linaro/primes is missing");
  EXPECT_EQ(v[2].fix.line(), "beowulf copy -w worker002 /home/linaro/primes /home/linaro/primes");
}

TEST(DoctorChecks, ADependentCheckIsSkippedWhereItsDependencyFailed) {
  auto f = healthy();
  f.probes["master"].ssh["worker002"] = {255, "ssh: connect to host 198.18.7.12 port 22: Connection refused\n"};
  f.probes.erase("worker002");
  f.probe_failures["worker002"] = "probe: worker002: ssh: connection refused";
  auto v = all(f);
  int skipped_on_2 = 0;
  for (const auto& x : v)
    if (x.subject == "worker002" && x.verdict == Verdict::skipped) {
      ++skipped_on_2;
      EXPECT_EQ(x.evidence, "skipped: reach failed");
    }
  EXPECT_EQ(skipped_on_2, 1 + 1 + 1 + 7);  // master-to-node, node-to-master, node-to-node, 7 per node
  EXPECT_EQ(v[1].evidence, "worker002 (198.18.7.12) refuses connections on port 22: sshd is not running");
}

TEST(DoctorChecks, MachineFileQuotesBadLinesAndStrangers) {
  Inventory inv;
  (void)inv.put(node("master", "198.18.7.10", Role::master));
  (void)inv.put(node("worker001", "198.18.7.11"));
  auto v = check_machine_file(inv, "198.18.7.10:2\n198.18.7.255\n", "machine_file");
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].subject, "machine_file:2");
  EXPECT_EQ(v[0].verdict, Verdict::fail);
  EXPECT_EQ(v[0].fix.line(), "beowulf machinefile > machine_file");
  auto strangers = check_machine_file(inv, "198.18.7.10\n198.18.7.11\n198.18.7.20\n", "machine_file");
  ASSERT_EQ(strangers.size(), 1u);
  EXPECT_EQ(strangers[0].subject, "machine_file:3");
  EXPECT_EQ(strangers[0].evidence, "'198.18.7.20' is not a member of the cluster");
  auto missing = check_machine_file(inv, "master\n", "mf");
  EXPECT_EQ(missing[0].verdict, Verdict::warn);
  EXPECT_EQ(missing[0].evidence, "worker001 not listed: MPI will not use it");
  auto good = check_machine_file(inv, "# generated\nmaster:1\nworker001:1\n", "mf");
  EXPECT_EQ(good[0].verdict, Verdict::ok);
  EXPECT_EQ(good[0].evidence, "2 lines, every member");
}

}  // namespace
}  // namespace beowulf::cluster
