#include "cluster/check.h"

#include <algorithm>

namespace beowulf::cluster {

Fix Fix::add(std::string address) {
  Fix fix(std::move(address));
  fix.kind = Kind::add;
  return fix;
}

std::string Fix::line() const { return kind == Kind::add ? "beowulf add " + argument : argument; }

const std::vector<CheckInfo>& all_checks() {
  static const std::vector<CheckInfo> checks = {
      {"machinefile", "the machine file names members by valid addresses with valid slots", {}},
      {"planned", "planned nodes (cards beowulf wrote) are not members yet: not checked", {}},
      {"reach", "each node's sshd answers on port 22", {}},
      {"ssh-master-to-node", "key login from the master to each node", {"reach"}},
      {"ssh-node-to-master", "key login from each node back to the master", {"reach"}},
      {"ssh-node-to-node", "key login between the nodes", {"reach"}},
      {"names", "every name resolves to its cluster address on every node", {"reach"}},
      {"host-keys", "no two nodes share a host key or a machine-id", {"reach"}},
      {"mpi", "the same MPI on every node, on the PATH of ssh commands", {"reach"}},
      {"arch", "one architecture on every node, or a program must be built for each", {}},
      {"ports", "TCP between the nodes on a high port, as MPI needs", {"reach"}},
      {"interfaces", "one candidate interface for the cluster network", {"reach"}},
      {"clock", "clocks within 1 s of the master's", {"reach"}},
      {"disk", "at least 100 MB free in each home", {"reach"}},
      {"users", "the accounts 'beowulf users add' made are the same on every node", {"reach"}},
      {"program", "the program is the same file at the same path everywhere", {"reach"}},
      {"cpi", "beowulf-cpi runs on every slot",
       {"ssh-master-to-node", "ssh-node-to-master", "names", "mpi", "ports", "program"}},
      // Slurm's, when `beowulf slurm up` configured it (src/slurm/slurm_doctor.h).
      {"slurm-munge", "munged answers on each node (munge -n | unmunge)", {}},
      {"slurm-munge-key", "each node decodes the master's munge credential: the same key, clocks within its TTL", {}},
      {"slurm-conf", "the same slurm.conf on every node", {}},
      {"slurm-controller", "the controller answers each node (scontrol ping)", {}},
      {"slurm-node", "each node usable in Slurm, or its state and reason", {}},
  };
  return checks;
}

const CheckInfo* find_check(std::string_view id) {
  for (const auto& c : all_checks())
    if (c.id == id) return &c;
  return nullptr;
}

std::string_view verdict_mark(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok: return "✔";
    case Verdict::warn: return "!";
    case Verdict::fail: return "✘";
    case Verdict::skipped: return "-";
  }
  return "?";
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok: return "ok";
    case Verdict::warn: return "warn";
    case Verdict::fail: return "fail";
    case Verdict::skipped: return "skipped";
  }
  return "?";
}

namespace {

int severity(Verdict v) {
  switch (v) {
    case Verdict::skipped: return 0;
    case Verdict::ok: return 1;
    case Verdict::warn: return 2;
    case Verdict::fail: return 3;
  }
  return 0;
}

bool failed_on(const std::vector<Finding>& findings, std::string_view id, std::string_view node) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.check == id && f.subject == node && f.verdict == Verdict::fail;
  });
}

}  // namespace

std::optional<Verdict> check_verdict(const std::vector<Finding>& findings, std::string_view id) {
  std::optional<Verdict> worst;
  for (const auto& f : findings)
    if (f.check == id && (!worst || severity(f.verdict) > severity(*worst))) worst = f.verdict;
  return worst;
}

std::optional<std::string> skip_reason(const std::vector<Finding>& findings, std::string_view id,
                                       std::string_view node) {
  const CheckInfo* check = find_check(id);
  if (!check) return std::nullopt;
  for (const auto& dep : check->depends_on) {
    if (failed_on(findings, dep, node)) return dep + " failed";
    if (auto deeper = skip_reason(findings, dep, node)) return deeper;
  }
  return std::nullopt;
}

Finding skipped(std::string_view id, std::string_view node, std::string_view reason) {
  return Finding{.check = std::string(id),
                 .subject = std::string(node),
                 .verdict = Verdict::skipped,
                 .evidence = "skipped: " + std::string(reason)};
}

int exit_status(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.verdict == Verdict::fail; })
             ? 1
             : 0;
}

}  // namespace beowulf::cluster
