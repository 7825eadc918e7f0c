#include "slurm/slurm_conf.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace beowulf::slurm {
namespace {

/// The value of `key=` among the space-separated words of `line`, or nullopt.
std::optional<std::string_view> field(std::string_view line, std::string_view key) {
  std::size_t at = 0;
  while (at < line.size()) {
    auto end = line.find_first_of(" \t", at);
    if (end == std::string_view::npos) end = line.size();
    auto word = line.substr(at, end - at);
    if (word.size() > key.size() && word.substr(0, key.size()) == key && word[key.size()] == '=')
      return word.substr(key.size() + 1);
    at = end + 1;
  }
  return std::nullopt;
}

std::optional<long> number(std::optional<std::string_view> text) {
  if (!text || text->empty()) return std::nullopt;
  long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1) return std::nullopt;
  return value;
}

}  // namespace

Result<Hardware> parse_slurmd_c(std::string_view text, const std::string& node) {
  auto line = text.substr(0, text.find('\n'));
  auto name = field(line, "NodeName");
  auto cpus = number(field(line, "CPUs"));
  auto memory = number(field(line, "RealMemory"));
  if (!name || name->empty() || !cpus || !memory)
    return Error{fmt::format("slurmd -C: expected 'NodeName=... CPUs=N ... RealMemory=MiB', got '{}'", line), node,
                 "check that slurmd runs on the node: slurmd -C"};
  return Hardware{std::string(*name), static_cast<int>(*cpus), *memory};
}

long declared_memory(long real) {
  long rounded = (real - real / 100) / 64 * 64;
  return std::max(rounded, 1L);
}

std::vector<std::pair<std::string, std::string>> daemon_paths(Layout layout) {
  if (layout == Layout::virtual_cluster)
    return {{"StateSaveLocation", "/run/slurm/state"},       {"SlurmdSpoolDir", "/run/slurm/spool"},
            {"SlurmctldPidFile", "/run/slurm/slurmctld.pid"}, {"SlurmdPidFile", "/run/slurm/slurmd.pid"},
            {"SlurmctldLogFile", "/run/slurm/slurmctld.log"}, {"SlurmdLogFile", "/run/slurm/slurmd.log"}};
  return {{"StateSaveLocation", "/var/lib/slurm/slurmctld"}, {"SlurmdSpoolDir", "/var/lib/slurm/slurmd"},
          {"SlurmctldPidFile", "/run/slurmctld.pid"},         {"SlurmdPidFile", "/run/slurmd.pid"},
          {"SlurmctldLogFile", "/var/log/slurm/slurmctld.log"}, {"SlurmdLogFile", "/var/log/slurm/slurmd.log"}};
}

std::string slurm_conf(const ConfPlan& plan) {
  std::string text = fmt::format(
      "# slurm.conf of cluster {0}, written by 'beowulf slurm up' from the inventory and each\n"
      "# node's 'slurmd -C' and 'nproc'; the same file on every node. Do not edit it here:\n"
      "# change the cluster (beowulf add/remove), then run 'beowulf slurm up' again.\n"
      "ClusterName={0}\n"
      "SlurmctldHost={1}({2})\n"
      "SlurmUser=slurm\n"
      "AuthType=auth/munge\n"
      "CredType=cred/munge\n"
      "SlurmctldPort=6817\n"
      "SlurmdPort=6818\n",
      plan.cluster, plan.controller.name, plan.controller.address);
  for (const auto& [key, path] : daemon_paths(plan.layout)) text += fmt::format("{}={}\n", key, path);
  text +=
      "# Each node's cores and memory are the ones declared below, not the ones slurmd finds.\n"
      "SlurmdParameters=config_overrides\n"
      "ProctrackType=proctrack/linuxproc\n"
      "TaskPlugin=task/none\n"
      "MpiDefault=none\n"
      "SchedulerType=sched/backfill\n"
      "SelectType=select/cons_tres\n"
      "SelectTypeParameters=CR_CPU\n"
      "# A node that was DOWN comes back by itself once its slurmd registers again.\n"
      "ReturnToService=2\n"
      "# A node whose slurmd stops answering is DOWN after 30 s.\n"
      "SlurmdTimeout=30\n"
      "JobAcctGatherType=jobacct_gather/none\n"
      "AccountingStorageType=accounting_storage/none\n";
  for (const auto& node : plan.nodes)
    text += fmt::format("NodeName={} NodeAddr={} CPUs={} RealMemory={} State=UNKNOWN\n", node.name, node.address,
                        node.cpus, node.memory);
  text += "PartitionName=beowulf Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n";
  return text;
}

std::string cgroup_conf(Layout layout) {
  return fmt::format(
      "# cgroup.conf written by 'beowulf slurm up'.\n"
      "CgroupPlugin={}\n",
      layout == Layout::virtual_cluster ? "cgroup/v1" : "autodetect");
}

std::string cluster_name(std::string_view inventory_name) {
  std::string name;
  for (char c : inventory_name) {
    auto u = static_cast<unsigned char>(c);
    name += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
  }
  bool has_letter = std::any_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  return has_letter ? name : "beowulf";
}

}  // namespace beowulf::slurm
