#include "cluster/doctor_checks.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>

#include "cluster/members.h"
#include "core/machine_file.h"
#include "remote/ssh.h"

namespace beowulf::cluster {

namespace {

Finding make(std::string_view id, std::string subject, Verdict verdict, std::string evidence, Fix fix = {}) {
  return Finding{.check = std::string(id), .subject = std::move(subject), .verdict = verdict,
                 .evidence = std::move(evidence), .fix = std::move(fix)};
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

/// The member at `address`; nullptr when it is no address or no member's.
const Node* node_at(const Inventory& inventory, std::string_view address) {
  auto parsed = parse_ipv4(address);
  return parsed.ok() ? inventory.find(*parsed) : nullptr;
}

const Node* master_of(const DoctorFacts& facts) { return facts.inventory.master(); }

const NodeProbe* master_probe(const DoctorFacts& facts) {
  const Node* m = master_of(facts);
  if (!m) return nullptr;
  auto it = facts.probes.find(m->name);
  return it == facts.probes.end() ? nullptr : &it->second;
}

/// The line of NodeProbe::cloud_hosts that has cloud-init rewrite /etc/hosts (and the
/// hosts block in it) at every boot: the last word, when it is `true` or `template`, or
/// the header of an /etc/hosts cloud-init rendered. `localhost` only keeps the host's own
/// line and `false` leaves the file alone: nullopt then, as without cloud-init.
std::optional<std::string> cloud_init_rewriting_hosts(const std::vector<std::string>& lines) {
  constexpr std::string_view key = "manage_etc_hosts:";
  std::optional<std::string> last_word;
  for (const auto& line : lines) {
    if (line.find("configured 'manage_etc_hosts' as True") != std::string::npos) {
      last_word = line;
      continue;
    }
    auto at = line.find(key);
    if (at == std::string::npos) continue;
    std::string value;
    for (char c : line.substr(at + key.size())) {
      if (c == '#') break;
      if (!std::isspace(static_cast<unsigned char>(c)) && c != '"' && c != '\'')
        value += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    last_word = value == "true" || value == "template" ? std::optional(line) : std::nullopt;
  }
  return last_word;
}

Finding cloud_init_warning(const Node& node, const std::string& line) {
  std::string file = line.substr(0, line.find(':'));
  if (file == "/etc/hosts")
    return make("names", node.name, Verdict::warn,
                "cloud-init rendered /etc/hosts (manage_etc_hosts: true) and rewrites it at every boot: the "
                "cluster's names go at the next reboot; make it `manage_etc_hosts: localhost` in the user-data "
                "the board boots with",
                as_root_on(node, "cloud-init query userdata | grep -n manage_etc_hosts"));
  return make("names", node.name, Verdict::warn,
              fmt::format("cloud-init rewrites /etc/hosts at every boot ({}): the cluster's names go at the next reboot",
                          line),
              as_root_on(node, fmt::format("sed -i 's/^\\([[:space:]]*manage_etc_hosts:\\).*/\\1 localhost/' {}",
                                           remote::shell_quote(file))));
}

}  // namespace

std::vector<Finding> per_node(const DoctorFacts& facts, std::string_view id, const std::vector<Finding>& so_far,
                              const std::function<Finding(const Node&, const NodeProbe&)>& judge) {
  std::vector<Finding> out;
  for (const auto& node : facts.nodes) {
    if (auto why = skip_reason(so_far, id, node.name)) {
      out.push_back(skipped(id, node.name, *why));
      continue;
    }
    auto probe = facts.probes.find(node.name);
    if (probe == facts.probes.end()) {
      auto reason = facts.probe_failures.find(node.name);
      out.push_back(skipped(id, node.name,
                            reason == facts.probe_failures.end() ? "its probe did not answer" : reason->second));
      continue;
    }
    out.push_back(judge(node, probe->second));
  }
  return out;
}

std::vector<Finding> check_names(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  // Hostnames two nodes share: an SD card cloned and not renamed.
  std::map<std::string, std::vector<std::string>> by_hostname;
  for (const auto& [name, probe] : facts.probes) by_hostname[probe.hostname].push_back(name);
  return per_node(facts, "names", so_far, [&](const Node& node, const NodeProbe& probe) {
    std::vector<std::string> problems;
    if (probe.hostname != node.name)
      problems.push_back(fmt::format("its hostname is {}, the inventory says {}", probe.hostname, node.name));
    else if (by_hostname[probe.hostname].size() > 1)
      problems.push_back(fmt::format("{} share the hostname {}", join(by_hostname[probe.hostname], " and "), probe.hostname));
    for (const Node* member_node : members_of(facts.inventory)) {
      const Node& member = *member_node;
      auto it = probe.resolved.find(member.name);
      std::string got = it == probe.resolved.end() ? "" : it->second;
      if (got == member.address.str()) continue;
      if (got.empty()) problems.push_back(fmt::format("{} does not resolve", member.name));
      else if (const Node* other = node_at(facts.inventory, got))
        problems.push_back(fmt::format("{} resolves to {} ({}'s address), not {}", member.name, got, other->name,
                                       member.address.str()));
      else problems.push_back(fmt::format("{} resolves to {}, not {}", member.name, got, member.address.str()));
    }
    if (problems.empty()) {
      if (auto line = cloud_init_rewriting_hosts(probe.cloud_hosts)) return cloud_init_warning(node, *line);
      return make("names", node.name, Verdict::ok, "every member's name resolves to its address");
    }
    return make("names", node.name, Verdict::fail, "on " + node.name + ": " + join(problems, "; "),
                Fix::add(node.address.str()));
  });
}

std::vector<Finding> check_planned(const Inventory& inventory) {
  std::vector<Finding> out;
  for (const Node* p : planned_of(inventory))
    out.push_back({.check = "planned", .subject = p->name, .verdict = Verdict::skipped,
                   .evidence = fmt::format("planned ({}), not yet a member: not checked", p->address.str()),
                   .fix = "beowulf add --planned"});
  return out;
}

std::vector<Finding> check_host_keys(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  // The first node (in the checked order) holding a key or machine-id is the original;
  // the later ones are the clones.
  std::map<std::string, std::string> key_owner, id_owner;
  std::map<std::string, std::vector<std::string>> problems;
  for (const auto& node : facts.nodes) {
    auto probe = facts.probes.find(node.name);
    if (probe == facts.probes.end()) continue;
    for (const auto& key : probe->second.host_keys) {
      auto [it, fresh] = key_owner.emplace(key, node.name);
      if (!fresh) {
        auto print = facts.fingerprints.find(key);
        problems[node.name].push_back(fmt::format("shares its ssh host key {} with {}",
                                                  print == facts.fingerprints.end() ? key.substr(0, 20) : print->second,
                                                  it->second));
      }
    }
    if (!probe->second.machine_id.empty()) {
      auto [it, fresh] = id_owner.emplace(probe->second.machine_id, node.name);
      if (!fresh) problems[node.name].push_back(fmt::format("shares /etc/machine-id with {}", it->second));
    }
  }
  return per_node(facts, "host-keys", so_far, [&](const Node& node, const NodeProbe&) {
    auto it = problems.find(node.name);
    if (it == problems.end()) return make("host-keys", node.name, Verdict::ok, "its host keys and machine-id are its own");
    std::string regenerate =
        "sh -c 'rm -f /etc/ssh/ssh_host_*_key* /etc/machine-id && ssh-keygen -A && systemd-machine-id-setup && "
        "systemctl restart ssh'";
    Finding f = make("host-keys", node.name, Verdict::fail, join(it->second, "; ") + " (a cloned SD card)",
                     as_root_on(node, regenerate) + " && beowulf add " +
                         node.address.str());
    return f;
  });
}

Finding cpi_finding_of(std::string_view output, bool exited_ok, bool timed_out, int limit_seconds) {
  auto at = output.find("pi is approximately");
  std::string result = at == std::string_view::npos ? "" : std::string(output.substr(at, output.find('\n', at) - at));
  if (exited_ok && !result.empty()) return make("cpi", "cluster", Verdict::ok, result);
  if (timed_out && !result.empty())
    return make("cpi", "cluster", Verdict::fail,
                fmt::format("beowulf-cpi printed its result ({}) and then did not exit within {} s: its ranks are "
                            "stuck in MPI_Finalize, as MPICH built on UCX (Debian's, on amd64 and arm64) is over TCP "
                            "(openucx/ucx#8738); a program built with Open MPI (mpicc.openmpi) exits, and beowulf run "
                            "starts it with Open MPI",
                            result, limit_seconds),
                "beowulf exec -- sudo apt-get install -y openmpi-bin libopenmpi-dev");
  std::string again = "beowulf run -v beowulf-cpi";
  if (timed_out)
    return make("cpi", "cluster", Verdict::fail, fmt::format("beowulf run beowulf-cpi timed out after {} s", limit_seconds),
                again);
  std::string_view last = output.substr(output.size() > 300 ? output.size() - 300 : 0);
  while (!last.empty() && last.back() == '\n') last.remove_suffix(1);
  return make("cpi", "cluster", Verdict::fail, "beowulf run beowulf-cpi failed: " + std::string(last), again);
}

std::string mpi_of_mpiexec(std::string_view text) {
  std::string s(text);
  std::smatch m;
  if (s.find("HYDRA build details") != std::string::npos &&
      std::regex_search(s, m, std::regex(R"(Version:\s+([0-9][0-9A-Za-z.]*))")))
    return "MPICH " + m[1].str();
  if (std::regex_search(s, m, std::regex(R"(\((?:OpenRTE|Open MPI)\) ([0-9][0-9A-Za-z.]*))")))
    return "Open MPI " + m[1].str();
  return {};
}

std::string mpi_of_mpicc(std::string_view text) {
  std::string s(text);
  if (std::regex_search(s, std::regex(R"(-lmpich\b)"))) return "MPICH";
  if (std::regex_search(s, std::regex(R"(-lmpi\b)"))) return "Open MPI";
  return {};
}

std::vector<Finding> check_mpi(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  const NodeProbe* here = master_probe(facts);
  std::string reference = here ? mpi_of_mpiexec(here->mpiexec_version) : "";
  return per_node(facts, "mpi", so_far, [&](const Node& node, const NodeProbe& probe) {
    std::string install = as_root_on(node, "apt-get install -y mpich");
    if (probe.mpiexec_path.empty())
      return make("mpi", node.name, Verdict::fail, "no mpiexec on the PATH of a non-interactive ssh command", install);
    std::string mine = mpi_of_mpiexec(probe.mpiexec_version);
    if (mine.empty())
      return make("mpi", node.name, Verdict::fail, fmt::format("{} is neither MPICH nor Open MPI", probe.mpiexec_path),
                  install);
    if (node.role != Role::master && !reference.empty() && mine != reference)
      return make("mpi", node.name, Verdict::fail, fmt::format("{} here, {} on the master", mine, reference),
                  as_root_on(node, reference.starts_with("MPICH")
                                       ? "update-alternatives --set mpirun /usr/bin/mpirun.mpich"
                                       : "update-alternatives --set mpirun /usr/bin/mpirun.openmpi"));
    std::string compiler = mpi_of_mpicc(probe.mpicc_show);
    if (!compiler.empty() && !mine.starts_with(compiler))
      return make("mpi", node.name, Verdict::warn,
                  fmt::format("mpiexec is {} but mpicc is {}: a program built here will not start", mine, compiler),
                  as_root_on(node, mine.starts_with("MPICH") ? "update-alternatives --set mpi /usr/bin/mpicc.mpich"
                                                             : "update-alternatives --set mpi /usr/bin/mpicc.openmpi"));
    return make("mpi", node.name, Verdict::ok, mine);
  });
}

std::vector<Finding> check_ports(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  // Who could not reach whom; a node nobody reaches is the one that blocks.
  std::map<std::string, std::vector<std::string>> failed_to, tried_to;
  std::map<std::string, std::string> reason_to;
  std::map<std::string, std::vector<std::string>> failed_from;
  std::map<std::string, std::size_t> tried_from;
  for (const auto& [source, results] : facts.connects)
    for (const auto& [address, reason] : results) {
      const Node* target = node_at(facts.inventory, address);
      if (!target) continue;
      tried_to[target->name].push_back(source);
      ++tried_from[source];
      if (reason.empty()) continue;
      failed_to[target->name].push_back(source);
      failed_from[source].push_back(target->name);
      reason_to[target->name] = reason;
    }
  std::string subnet = facts.inventory.subnet() ? facts.inventory.subnet()->str() : "";
  return per_node(facts, "ports", so_far, [&](const Node& node, const NodeProbe& probe) {
    std::string allow = as_root_on(node, fmt::format("iptables -I INPUT -p tcp -s {} -j ACCEPT",
                                                     subnet.empty() ? subnet_of(node.address).str() : subnet));
    if (!probe.listener.empty() && probe.listener != "listening")
      return make("ports", node.name, Verdict::warn, fmt::format("the test listener did not start: {}", probe.listener),
                  as_root_on(node, "apt-get install -y perl-base"));
    auto& in = failed_to[node.name];
    if (!in.empty() && in.size() == tried_to[node.name].size())
      return make("ports", node.name, Verdict::fail,
                  fmt::format("no node can open TCP port {} on {} ({}: {}): its firewall blocks what MPI needs",
                              kProbePort, node.name, join(in), reason_to[node.name]),
                  allow);
    auto& out = failed_from[node.name];
    if (!out.empty() && out.size() == tried_from[node.name])
      return make("ports", node.name, Verdict::fail,
                  fmt::format("{} cannot open TCP port {} on any node ({}): its firewall blocks outgoing connections",
                              node.name, kProbePort, join(out)),
                  as_root_on(node, "iptables -I OUTPUT -p tcp -j ACCEPT"));
    if (!in.empty())
      return make("ports", node.name, Verdict::fail,
                  fmt::format("{} cannot open TCP port {} on {}: {}", join(in), kProbePort, node.name,
                              reason_to[node.name]),
                  allow);
    return make("ports", node.name, Verdict::ok,
                fmt::format("TCP port {} reached from {} node(s)", kProbePort, tried_to[node.name].size()));
  });
}

std::vector<Finding> check_interfaces(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  return per_node(facts, "interfaces", so_far, [&](const Node& node, const NodeProbe& probe) {
    std::string cluster_if;
    for (const auto& line : probe.interfaces) {
      auto space = line.find(' ');
      std::string address = line.substr(space + 1);
      address = address.substr(0, address.find('/'));
      if (address == node.address.str()) cluster_if = line.substr(0, space);
    }
    if (cluster_if.empty())
      return make("interfaces", node.name, Verdict::fail,
                  fmt::format("no interface holds {} ({})", node.address.str(), join(probe.interfaces)),
                  as_root_on(node, "ip -4 addr"));
    if (probe.interfaces.size() > 1)
      return make("interfaces", node.name, Verdict::warn,
                  fmt::format("{} candidate interfaces ({}): MPI may pick the wrong one; beowulf run pins {} "
                              "(hydra -iface)",
                              probe.interfaces.size(), join(probe.interfaces), cluster_if),
                  fmt::format("beowulf run PROGRAM   # or: mpiexec -iface {} ...", cluster_if));
    return make("interfaces", node.name, Verdict::ok, "one interface, holding the node's cluster address");
  });
}

std::vector<Finding> check_clock(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  return per_node(facts, "clock", so_far, [&](const Node& node, const NodeProbe&) {
    auto it = facts.clock_skew.find(node.name);
    if (it == facts.clock_skew.end()) return make("clock", node.name, Verdict::warn, "its clock was not read");
    auto [skew, error] = it->second;
    // Only what the reading proves: off by more than 1 s whatever its delay was.
    std::string text = fmt::format("{:.1f} s {} the master's (read within {:.1f} s)", std::fabs(skew),
                                   skew >= 0 ? "ahead of" : "behind", error);
    if (std::fabs(skew) - error > 1.0)
      return make("clock", node.name, Verdict::fail, text, "beowulf time up");
    return make("clock", node.name, Verdict::ok, "within 1 s of the master's");
  });
}

std::vector<Finding> check_disk(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  return per_node(facts, "disk", so_far, [&](const Node& node, const NodeProbe& probe) {
    if (!probe.free_kb) return make("disk", node.name, Verdict::warn, "df did not answer");
    long long mb = *probe.free_kb / 1024;
    if (mb < 100)
      return make("disk", node.name, Verdict::fail, fmt::format("only {} MB free in the home of {}", mb, probe.user),
                  on_node(node, "du -sh ~/* | sort -h | tail"));
    return make("disk", node.name, Verdict::ok, "at least 100 MB free in the home");
  });
}

std::vector<Finding> check_users(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  if (facts.users.empty()) return {};
  const Node* master = master_of(facts);
  auto problems = check_accounts(facts.users, master ? master->name : "", facts.accounts);
  return per_node(facts, "users", so_far, [&](const Node& node, const NodeProbe&) {
    if (!facts.accounts.count(node.name)) return make("users", node.name, Verdict::warn, "its accounts were not read");
    std::vector<std::string> found, fixed;
    for (const auto& p : problems)
      if (p.node == node.name) {
        found.push_back(p.user + ": " + p.what);
        if (std::find(fixed.begin(), fixed.end(), p.user) == fixed.end()) fixed.push_back(p.user);
      }
    if (found.empty())
      return make("users", node.name, Verdict::ok,
                  fmt::format("{} account{} as on the master", facts.users.size(), facts.users.size() == 1 ? "" : "s"));
    return make("users", node.name, Verdict::fail, join(found, "; "), "beowulf users check --fix " + join(fixed, " "));
  });
}

std::vector<Finding> check_program(const DoctorFacts& facts, const std::vector<Finding>& so_far) {
  if (facts.program.empty()) return {};
  const NodeProbe* here = master_probe(facts);
  std::string reference = here ? here->program_sum : "";
  return per_node(facts, "program", so_far, [&](const Node& node, const NodeProbe& probe) {
    std::string copy = fmt::format("beowulf copy -w {} {} {}", node.name, remote::shell_quote(facts.program),
                                   remote::shell_quote(facts.program));
    if (probe.program_sum.empty())
      return make("program", node.name, Verdict::fail, fmt::format("{} is missing", facts.program),
                  node.role == Role::master ? "" : copy);
    if (node.role != Role::master && probe.program_sum != reference)
      return make("program", node.name, Verdict::fail,
                  fmt::format("{} differs from the master's (sha256 {}... here)", facts.program,
                              probe.program_sum.substr(0, 12)),
                  copy);
    return make("program", node.name, Verdict::ok, "sha256 " + probe.program_sum.substr(0, 12) + "...");
  });
}

std::vector<Finding> check_machine_file(const Inventory& inventory, std::string_view text, std::string_view file) {
  std::vector<Finding> out;
  std::string regenerate = fmt::format("beowulf machinefile > {}", remote::shell_quote(file));
  auto parsed = parse_machine_file(text, MachineFileFormat::mpich, file);
  if (!parsed) {
    std::istringstream lines(parsed.error().what);
    for (std::string line; std::getline(lines, line);) {
      auto colon = line.find(": ");
      out.push_back(make("machinefile", line.substr(0, colon), Verdict::fail,
                         colon == std::string::npos ? line : line.substr(colon + 2), regenerate));
    }
  }
  std::istringstream lines{std::string(text)};
  int number = 0;
  std::set<std::string> listed;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    std::string host;
    std::istringstream words(line.substr(0, line.find('#')));
    words >> host;
    host = host.substr(0, host.find(':'));
    if (host.empty()) continue;
    const Node* node = inventory.find(host);
    if (!node) node = node_at(inventory, host);
    if (node) {
      listed.insert(node->name);
      continue;
    }
    if (parsed)  // a well-formed line naming a stranger
      out.push_back(make("machinefile", fmt::format("{}:{}", file, number), Verdict::fail,
                         fmt::format("'{}' is not a member of the cluster", host), regenerate));
  }
  std::vector<std::string> missing;
  for (const Node* node : members_of(inventory))
    if (!listed.count(node->name)) missing.push_back(node->name);
  if (out.empty() && !missing.empty())
    out.push_back(make("machinefile", std::string(file), Verdict::warn,
                       fmt::format("{} not listed: MPI will not use {}", join(missing), missing.size() == 1 ? "it" : "them"),
                       regenerate));
  if (out.empty())
    out.push_back(make("machinefile", std::string(file), Verdict::ok,
                       fmt::format("{} lines, every member", listed.size())));
  return out;
}

}  // namespace beowulf::cluster
