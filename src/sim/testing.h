#pragma once
// For cluster tests (`*_cluster_test.cc`, label cluster): a sim per test suite, brought up
// once in SetUpTestSuite and taken down in TearDownTestSuite, even when a test failed.
// Each process gets its own sim name and subnet from its pid, so test binaries may run
// side by side. Not root: every test skips, saying why.
//
//   class MyTest : public beowulf::sim::SimTest<MyTest> {
//    public:
//     static beowulf::sim::UpOptions options() { return {.workers = 2}; }
//   };
//   TEST_F(MyTest, Works) { auto r = sim().exec("node1", {"hostname"}, {.user = "linaro"}); ... }

#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <optional>
#include <string>

#include "sim/sim.h"

namespace beowulf::sim {

/// A name and a subnet no other process uses: "t<pid><suffix>", 198.18.<pid % 200 + 50>.0/24.
inline UpOptions unique_options(UpOptions options, const std::string& suffix) {
  options.name = fmt::format("t{}{}", getpid() % 1000000, suffix);
  options.subnet = fmt::format("198.18.{}.0/24", getpid() % 200 + 50);
  options.state_dir.clear();
  return options;
}

template <typename Derived>
class SimTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    if (geteuid() != 0) return;
    auto options = unique_options(Derived::options(), Derived::suffix());
    (void)Sim::down(Sim::default_state_dir(options.name));  // leftovers of a crashed run with our pid
    auto made = Sim::up(options);
    if (made) sim_.emplace(std::move(*made));
    else error_ = made.error().message() + " (hint: " + made.error().hint + ")";
  }

  static void TearDownTestSuite() {
    if (!sim_) return;
    auto removed = sim_->down();
    EXPECT_TRUE(removed.ok()) << removed.error().message();
    sim_.reset();
  }

  /// Each suite's sim gets a distinct name suffix, so suites in one process do not collide.
  static std::string suffix() { return ""; }

 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "cluster tests need root: a sim is made of network namespaces and mounts";
    ASSERT_TRUE(sim_.has_value()) << "sim up failed: " << error_;
  }

  Sim& sim() { return *sim_; }

  /// Runs `command` on `node` (as `user`, root when empty); fails the test when it cannot start.
  sys::ProcessResult run(const std::string& node, const std::vector<std::string>& command,
                         const std::string& user = {}, const std::string& input = {}) {
    auto r = sim_->exec(node, command, {.user = user, .input = input});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : sys::ProcessResult{};
  }

  static inline std::optional<Sim> sim_;
  static inline std::string error_;
};

}  // namespace beowulf::sim
