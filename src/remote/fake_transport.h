#pragma once
// FakeTransport: for unit tests of the workflows above FanOut (add, remove, node_step,
// cluster_sync). Given as FanOutOptions::transport, it answers every job from a script
// of rules and records what each target was sent; it starts no process and opens no
// socket, so a test of it can never reach a node.

#include <string>
#include <vector>

#include "remote/fan_out.h"

namespace beowulf::remote {

/// What one job sent: to which node, whether its target is here (the master), the
/// program (ssh, scp, ssh-keyscan, sh, cp), the command (the last word of the argv: the
/// remote command, or sh -c's script) and stdin.
struct Sent {
  std::string node;
  bool here = false;
  std::string program;
  std::string command;
  std::string input;
};

class FakeTransport : public Transport {
 public:
  /// Answers a job on `node` ("": any node) whose argv, joined with spaces, contains
  /// `contains` ("": any)
  /// with `outcome`, `out` and `err`. The first rule added that matches wins; a job that
  /// no rule matches exits 0 and writes nothing.
  FakeTransport& on(std::string node, std::string contains, Outcome outcome, std::string out = {},
                    std::string err = {}) {
    rules_.push_back({std::move(node), std::move(contains), {{}, outcome, std::move(out), std::move(err)}});
    return *this;
  }
  /// The same, exiting with `exit_code`.
  FakeTransport& on(std::string node, std::string contains, int exit_code, std::string out = {}, std::string err = {}) {
    return on(std::move(node), std::move(contains), Outcome{.end = EventKind::exited, .exit_code = exit_code},
              std::move(out), std::move(err));
  }

  std::vector<NodeRun> answer(const std::vector<Job>& jobs) const override {
    std::vector<NodeRun> runs;
    for (const Job& job : jobs) {
      std::string command = job.spec.argv.empty() ? "" : job.spec.argv.back();
      std::string program = job.spec.argv.empty() ? "" : job.spec.argv.front();
      sent_.push_back({job.target.name, job.target.local, program, command, job.spec.input});
      std::string argv;
      for (const auto& word : job.spec.argv) argv += word + " ";
      NodeRun run{job.target.name, Outcome{.end = EventKind::exited, .exit_code = 0}, "", ""};
      for (const Rule& r : rules_)
        if ((r.node.empty() || r.node == job.target.name) && argv.find(r.contains) != std::string::npos) {
          run = r.run;
          run.node = job.target.name;
          break;
        }
      runs.push_back(std::move(run));
    }
    return runs;
  }

  /// Every job answered so far, in order.
  const std::vector<Sent>& sent() const { return sent_; }

 private:
  struct Rule {
    std::string node, contains;
    NodeRun run;
  };
  std::vector<Rule> rules_;
  mutable std::vector<Sent> sent_;
};

}  // namespace beowulf::remote
