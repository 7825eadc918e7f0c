#include "cluster/time_script.h"

#include <gtest/gtest.h>

#include "sys/process.h"

namespace beowulf::cluster {
namespace {

/// sh's own syntax check of `script` (sh -n): "" when it parses, else sh's complaint.
std::string syntax_errors(const std::string& script) {
  auto r = sys::run({.argv = {"sh", "-n", "-c", script}});
  if (!r.ok()) return r.error().what;
  return r->exit_code == 0 ? "" : r->err;
}

TEST(TimeScripts, AreValidShell) {
  ChronyPlan worker{.role = Role::worker, .master_address = "198.18.0.10", .subnet = "198.18.0.0/24"};
  ChronyPlan master{.role = Role::master, .master_address = "198.18.0.10", .subnet = "198.18.0.0/24"};
  EXPECT_EQ(syntax_errors(time_up_script(worker)), "");
  EXPECT_EQ(syntax_errors(time_up_script(master)), "");
  EXPECT_EQ(syntax_errors(time_status_script()), "");
}

TEST(TimeScripts, OnTheSimChronydAlwaysRunsWithMinusX) {
  ChronyPlan worker{.role = Role::worker, .master_address = "198.18.0.10", .subnet = "198.18.0.0/24"};
  std::string script = time_up_script(worker);
  EXPECT_NE(script.find("  chronyd -x -u \"$u\" -f \"$conf\"\n"), std::string::npos);
  // the only chronyd started by hand is the sim's; a real board's runs under systemd
  EXPECT_EQ(script.find("  chronyd -f"), std::string::npos);
  EXPECT_NE(script.find("systemctl restart chrony\n"), std::string::npos);
}

TEST(TimeUpOutput, ListsTheChangesAndTheSim) {
  auto r = parse_time_up("change wrote /etc/chrony/chrony.conf\nchange started chronyd -x\nsim yes\n");
  EXPECT_EQ(r.changes, (std::vector<std::string>{"wrote /etc/chrony/chrony.conf", "started chronyd -x"}));
  EXPECT_TRUE(r.sim);
  auto unchanged = parse_time_up("");
  EXPECT_TRUE(unchanged.changes.empty());
  EXPECT_FALSE(unchanged.sim);
}

TEST(TimeStatus, AWorkerSynchronisedToTheMaster) {
  auto s = parse_time_status(
      "sim yes\n"
      "tracking C612000A,198.18.0.10,11,1764463000.5,0.000000010,-0.000001500,0.000002000,-1.2,0.01,0.5,0.0001,0.0002,2.0,Normal\n"
      "source ^,*,198.18.0.10,10,1,17,1,-0.000012000,-0.000012100,0.000150000\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->state, "synchronised");
  EXPECT_EQ(s->source, "198.18.0.10");
  EXPECT_TRUE(s->has_offset);
  EXPECT_DOUBLE_EQ(s->offset, -0.000012);
  EXPECT_TRUE(s->sim);
  EXPECT_TRUE(s->ok());
}

TEST(TimeStatus, TheMasterServingItsOwnClock) {
  auto s = parse_time_status("tracking 7F7F0101,,10,1764463000.5,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->state, "serving its own clock");
  EXPECT_EQ(s->source, "local clock, stratum 10");
  EXPECT_FALSE(s->has_offset);
  EXPECT_FALSE(s->sim);
  EXPECT_TRUE(s->ok());
}

TEST(TimeStatus, NotYetSynchronised) {
  auto s = parse_time_status(
      "tracking 00000000,,0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,0.0,Not synchronised\n"
      "source ^,?,198.18.0.10,0,6,0,-,0.0,0.0,0.0\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->state, "not synchronised");
  EXPECT_EQ(s->source, "198.18.0.10");
  EXPECT_FALSE(s->ok());
}

TEST(TimeStatus, ChronyMissingOrStopped) {
  EXPECT_EQ(parse_time_status("state not-installed\n")->state, "chrony not installed");
  auto stopped = parse_time_status("state not-running\nwhy 506 Cannot talk to daemon\n");
  EXPECT_EQ(stopped->state, "chronyd not running");
  EXPECT_EQ(stopped->source, "-");
  EXPECT_FALSE(stopped->ok());
}

TEST(TimeStatus, AnAnswerOfAnotherShapeIsAnError) {
  auto s = parse_time_status("hello\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().what, "chronyc answered in a way beowulf does not know: hello\n");
}

TEST(OffsetText, UnitsForTheMagnitude) {
  EXPECT_EQ(offset_text(-0.000012), "-12 µs");
  EXPECT_EQ(offset_text(0.0013), "+1.3 ms");
  EXPECT_EQ(offset_text(2.414), "+2.41 s");
  EXPECT_EQ(offset_text(0), "+0 µs");
}

}  // namespace
}  // namespace beowulf::cluster
