#include "cluster/doctor_report.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "core/nodeset.h"

namespace beowulf::cluster {

namespace {

/// "master,worker[001-003]" for node names; for pairs "worker[001-003] (6 pairs)", the
/// sources folded; the subjects joined with commas otherwise.
std::string fold(const std::vector<std::string>& subjects) {
  if (subjects.size() > 1 && subjects.front().find(" -> ") != std::string::npos) {
    std::vector<std::string> sources;
    for (const auto& s : subjects) sources.push_back(s.substr(0, s.find(" -> ")));
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    return fmt::format("{} ({} pairs)", fold(sources), subjects.size());
  }
  std::string joined;
  for (const auto& s : subjects) joined += (joined.empty() ? "" : ",") + s;
  if (subjects.size() < 2) return joined;
  auto set = NodeSet::parse(joined);
  return set ? set->fold() : joined;
}

bool groups_with(const Finding& a, const Finding& b) {
  return a.check == b.check && a.verdict == b.verdict && a.evidence == b.evidence && a.fix.empty() && b.fix.empty() &&
         (a.verdict == Verdict::ok || a.verdict == Verdict::skipped);
}

}  // namespace

DoctorSummary summarize(const std::vector<Finding>& findings) {
  DoctorSummary s;
  for (const auto& check : all_checks()) {
    auto verdict = check_verdict(findings, check.id);
    if (!verdict) continue;
    switch (*verdict) {
      case Verdict::ok: ++s.ok; break;
      case Verdict::warn: ++s.warn; break;
      case Verdict::fail: ++s.fail; break;
      case Verdict::skipped: ++s.skipped; break;
    }
  }
  return s;
}

std::string format_findings(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& check : all_checks()) {
    std::vector<const Finding*> mine;
    for (const auto& f : findings)
      if (f.check == check.id) mine.push_back(&f);
    // Good news and skips gather under one node set, in the order first seen.
    std::vector<bool> done(mine.size(), false);
    for (std::size_t i = 0; i < mine.size(); ++i) {
      if (done[i]) continue;
      std::vector<std::string> subjects{mine[i]->subject};
      for (std::size_t j = i + 1; j < mine.size(); ++j)
        if (!done[j] && groups_with(*mine[i], *mine[j])) {
          subjects.push_back(mine[j]->subject);
          done[j] = true;
        }
      out += fmt::format("{} {:<19} {}: {}\n", verdict_mark(mine[i]->verdict), check.id, fold(subjects),
                         mine[i]->evidence);
      if (!mine[i]->fix.empty()) out += fmt::format("    fix: {}\n", mine[i]->fix.line());
    }
  }
  return out;
}

std::string format_summary(const std::vector<Finding>& findings, std::size_t nodes, std::chrono::milliseconds took) {
  DoctorSummary s = summarize(findings);
  return fmt::format("doctor: {} checks on {} node{}: {} ✔, {} !, {} ✘, {} skipped ({:.1f} s)\n",
                     s.ok + s.warn + s.fail + s.skipped, nodes, nodes == 1 ? "" : "s", s.ok, s.warn, s.fail, s.skipped,
                     static_cast<double>(took.count()) / 1000.0);
}

}  // namespace beowulf::cluster
