#include "sys/ssh_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <map>

namespace beowulf::sys {
namespace {

using Clock = std::chrono::steady_clock;

struct Probe {
  std::size_t index;
  int fd;
  bool connected = false;
  std::string received;
  Clock::time_point deadline;
};

/// Starts a non-blocking connect; -1 when it failed at once.
int start_connect(std::uint32_t address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  to.sin_addr.s_addr = htonl(address);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

/// Handles readiness of `p`; true when the probe is finished.
bool advance(Probe& p, short revents) {
  if (!p.connected) {
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) return true;
    p.connected = true;
    return false;
  }
  if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0) return false;
  char buffer[256];
  ssize_t n = read(p.fd, buffer, sizeof buffer);
  if (n <= 0) return true;
  p.received.append(buffer, static_cast<std::size_t>(n));
  return p.received.find('\n') != std::string::npos || p.received.size() > 1024;
}

}  // namespace

std::vector<ProbeAnswer> probe_ssh(const std::vector<std::uint32_t>& addresses, const ProbeOptions& options) {
  std::map<std::size_t, ProbeAnswer> answers;
  std::vector<Probe> active;
  std::size_t next = 0;
  std::size_t limit = options.concurrency == 0 ? 1 : options.concurrency;
  auto finish = [&](Probe& p) {
    if (p.connected) {
      std::string line = p.received.substr(0, p.received.find('\n'));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      answers[p.index] = {addresses[p.index], line};
    }
    close(p.fd);
  };
  while (next < addresses.size() || !active.empty()) {
    while (next < addresses.size() && active.size() < limit) {
      int fd = start_connect(addresses[next], options.port);
      if (fd >= 0) active.push_back({next, fd, false, {}, Clock::now() + options.timeout});
      ++next;
    }
    std::vector<pollfd> fds;
    for (const auto& p : active) fds.push_back({p.fd, static_cast<short>(p.connected ? POLLIN : POLLOUT), 0});
    poll(fds.data(), fds.size(), 50);
    auto now = Clock::now();
    std::vector<Probe> still;
    for (std::size_t i = 0; i < active.size(); ++i) {
      Probe& p = active[i];
      bool done = fds[i].revents != 0 && advance(p, fds[i].revents);
      if (done || now >= p.deadline) finish(p);
      else still.push_back(std::move(p));
    }
    active = std::move(still);
  }
  std::vector<ProbeAnswer> out;
  for (auto& [index, answer] : answers) out.push_back(std::move(answer));
  return out;
}

}  // namespace beowulf::sys
