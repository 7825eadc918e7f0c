// Probes a listener made here, on loopback only: unit tests send nothing to any network.
#include "sys/ssh_probe.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace beowulf::sys {
namespace {

constexpr std::uint32_t kLoopback = 0x7F000001;

/// A listener on 127.0.0.1 at an ephemeral port; returns its fd and port.
std::pair<int, int> listen_loopback() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(kLoopback);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
  EXPECT_EQ(listen(fd, 4), 0);
  socklen_t len = sizeof at;
  getsockname(fd, reinterpret_cast<sockaddr*>(&at), &len);
  return {fd, ntohs(at.sin_port)};
}

TEST(SshProbe, ReadsTheBannerOfAListener) {
  auto [fd, port] = listen_loopback();
  std::thread server([fd = fd] {
    int c = accept(fd, nullptr, nullptr);
    (void)!write(c, "SSH-2.0-OpenSSH_9.2p1 Debian\r\n", 30);
    close(c);
  });
  auto answers = probe_ssh({kLoopback}, {.port = port});
  server.join();
  close(fd);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].address, kLoopback);
  EXPECT_EQ(answers[0].banner, "SSH-2.0-OpenSSH_9.2p1 Debian");
}

TEST(SshProbe, LeavesOutAPortNobodyListensOn) {
  auto [fd, port] = listen_loopback();
  close(fd);  // the port is now closed: connections are refused
  EXPECT_TRUE(probe_ssh({kLoopback}, {.port = port}).empty());
}

TEST(SshProbe, ASilentServerAnswersWithAnEmptyBannerAfterTheTimeout) {
  auto [fd, port] = listen_loopback();
  auto answers = probe_ssh({kLoopback}, {.port = port, .timeout = std::chrono::milliseconds(200)});
  close(fd);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].banner, "");
}

}  // namespace
}  // namespace beowulf::sys
