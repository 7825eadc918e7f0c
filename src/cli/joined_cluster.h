#pragma once
// For the cli's cluster tests: a sim whose boards were made members the way a user does
// it, `beowulf init` then `beowulf add` run in the master as the boards' user; then
// `beowulf(...)` runs the built beowulf there the same way. The sim goes down after the
// suite, even when a test failed (sim::SimTest).

#include <fmt/core.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/nodeset.h"
#include "sim/testing.h"

namespace beowulf::cli {

/// Where the built beowulf and beowulf-cpi are: on PATH for the commands in the master.
inline std::string built_path() {
  return fmt::format("PATH={0}/src/cli:{0}/examples:/usr/local/bin:/usr/bin:/bin", BEOWULF_BINARY_DIR);
}

template <typename Derived>
class JoinedCluster : public sim::SimTest<Derived> {
  using Base = sim::SimTest<Derived>;

 public:
  static void SetUpTestSuite() {
    Base::SetUpTestSuite();
    if (!Base::sim_) return;
    std::string workers;
    for (const auto& node : Base::sim_->state().nodes)
      if (node.label != "master") workers += (workers.empty() ? "" : ",") + node.address;
    workers_ = NodeSet::parse(workers).value().fold();
    auto init = beowulf({"init"});
    auto add = beowulf({"add", workers_, "--user", Base::sim_->board_user(), "--password-stdin"},
                       Base::sim_->board_password() + "\n");
    if (init.exit_code != 0 || add.exit_code != 0)
      join_error_ = fmt::format("init: {}{}add: {}{}", init.out, init.err, add.out, add.err);
    joined_ = init.exit_code == 0 && add.exit_code == 0;
  }

  /// Runs `beowulf args` in the master as the boards' user, `input` on its stdin.
  static sys::ProcessResult beowulf(const std::vector<std::string>& args, const std::string& input = {},
                                    std::chrono::seconds timeout = std::chrono::seconds(120)) {
    std::vector<std::string> command = {"env", built_path(), "beowulf"};
    command.insert(command.end(), args.begin(), args.end());
    auto r = Base::sim_->exec("master", command, {.user = Base::sim_->board_user(), .input = input, .timeout = timeout});
    if (!r.ok()) return sys::ProcessResult{.exit_code = -1, .err = r.error().message()};
    return *r;
  }

  /// Runs a shell `script` on sim node `label` as the boards' user.
  static sys::ProcessResult shell(const std::string& label, const std::string& script, const std::string& input = {}) {
    auto r = Base::sim_->exec(label, {"sh", "-c", script}, {.user = Base::sim_->board_user(), .input = input});
    if (!r.ok()) return sys::ProcessResult{.exit_code = -1, .err = r.error().message()};
    return *r;
  }

 protected:
  void SetUp() override {
    Base::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    ASSERT_TRUE(joined_) << "the boards did not join: " << join_error_;
  }

  /// The workers' addresses, folded: "198.18.57.[11-13]".
  static inline std::string workers_;
  static inline bool joined_ = false;
  static inline std::string join_error_;
};

}  // namespace beowulf::cli
