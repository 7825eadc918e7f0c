#include "remote/control_socket.h"

#include <gtest/gtest.h>

#include "sys/process.h"

namespace beowulf::remote {
namespace {

// The socket must be the one the system's ssh itself uses (mpiexec's ssh shares it):
// ask `ssh -G`, which prints its settings and connects nowhere.
std::string ssh_says(const Target& t) {
  auto r = sys::run({.argv = {"ssh", "-G", "-F", "/dev/null", "-o", "ControlPath=/sockets/%C", "-p",
                              std::to_string(t.port), "-l", t.user, t.address}});
  if (!r.ok()) return "ssh did not run";
  auto at = r->out.find("\ncontrolpath ");
  if (at == std::string::npos) return "no controlpath line";
  auto start = at + 13;
  return r->out.substr(start, r->out.find('\n', start) - start);
}

TEST(ControlSocket, IsTheOneSshNamesForTheSameNode) {
  for (const Target& t : {Target{.address = "198.18.0.12", .user = "linaro"}, Target{.address = "Worker001", .user = "pi", .port = 2222}})
    EXPECT_EQ(control_socket("/sockets", t, local_host_name()), ssh_says(t)) << t.address;
}

TEST(ControlSocket, DependsOnEveryPartOfTheConnection) {
  Target t{.address = "198.18.0.12", .user = "linaro"};
  std::string base = control_socket("/s", t, "master");
  EXPECT_EQ(base.size(), 3 + 40u);
  EXPECT_NE(control_socket("/s", t, "other"), base);
  EXPECT_NE(control_socket("/s", {.address = "198.18.0.12", .user = "root"}, "master"), base);
  EXPECT_NE(control_socket("/s", {.address = "198.18.0.13", .user = "linaro"}, "master"), base);
  EXPECT_NE(control_socket("/s", {.address = "198.18.0.12", .user = "linaro", .port = 23}, "master"), base);
}

TEST(ControlSocket, IsUnknownWithoutAUser) { EXPECT_EQ(control_socket("/s", {.address = "198.18.0.12"}, "m"), ""); }

}  // namespace
}  // namespace beowulf::remote
