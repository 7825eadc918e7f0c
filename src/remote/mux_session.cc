#include "remote/mux_session.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

namespace beowulf::remote {
namespace {

// Message types and the version, from OpenSSH's PROTOCOL.mux.
constexpr std::uint32_t kHello = 0x00000001, kNewSession = 0x10000002;
constexpr std::uint32_t kPermissionDenied = 0x80000002, kFailure = 0x80000003, kExitMessage = 0x80000004,
                        kSessionOpened = 0x80000006;
constexpr std::uint32_t kVersion = 4;
constexpr std::uint32_t kNoEscapeChar = 0xffffffff;
constexpr std::uint32_t kMaxPacket = 256 * 1024;
constexpr auto kHandshakeTimeout = std::chrono::seconds(2);

using Clock = std::chrono::steady_clock;

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void put_string(std::string& out, const std::string& s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}
std::uint32_t get_u32(const std::string& in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}
/// A string field at `at` (after its length), or "" when the packet is too short.
std::string get_string(const std::string& in, std::size_t at) {
  if (in.size() < at + 4) return {};
  std::uint32_t n = get_u32(in, at);
  return in.size() < at + 4 + n ? std::string{} : in.substr(at + 4, n);
}
/// `body` framed as a packet: its length first.
std::string packet(const std::string& body) {
  std::string out;
  put_u32(out, static_cast<std::uint32_t>(body.size()));
  return out + body;
}

bool send_all(int fd, const std::string& data) {
  for (std::size_t done = 0; done < data.size();) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool recv_all(int fd, char* data, std::size_t size) {
  for (std::size_t done = 0; done < size;) {
    ssize_t n = ::recv(fd, data + done, size - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

/// One whole packet's body, read blocking (the socket's receive timeout bounds it).
std::optional<std::string> recv_packet(int fd) {
  char head[4];
  if (!recv_all(fd, head, 4)) return std::nullopt;
  std::uint32_t size = get_u32(std::string(head, 4), 0);
  if (size < 4 || size > kMaxPacket) return std::nullopt;
  std::string body(size, '\0');
  if (!recv_all(fd, body.data(), size)) return std::nullopt;
  return body;
}

/// Passes descriptor `passed` over the socket (one byte of data carries it, as ssh does).
bool send_fd(int fd, int passed) {
  char byte = 0;
  iovec io{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &io;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &passed, sizeof(int));
  for (;;) {
    ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

/// One job's descriptors and what came back so far.
struct Session {
  int control = -1, out = -1, err = -1;
  std::string pending;  ///< control bytes not yet a whole packet
  bool opened = false, got_status = false, master_gone = false, done = false;
  MuxRun run;

  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
    close_fd(control);
    close_fd(out);
    close_fd(err);
  }
  void fail(MuxEnd end, std::string why) {
    run.end = end;
    run.reason = std::move(why);
    done = true;
    close_fd(control);
    close_fd(out);
    close_fd(err);
  }
  void finish_if_complete() {
    if (done || out >= 0 || err >= 0 || !(got_status || master_gone)) return;
    if (got_status) run.end = MuxEnd::exited;
    else if (opened) run.end = MuxEnd::closed, run.reason = "the connection to it closed";
    else run.end = MuxEnd::no_master, run.reason = "the master refused the session";
    done = true;
    close_fd(control);
  }
};

/// Connects to the master and says hello; the answer is read in open_session().
bool connect_master(Session& s, const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  s.control = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s.control < 0) return false;
  timeval limit{std::chrono::duration_cast<std::chrono::seconds>(kHandshakeTimeout).count(), 0};
  ::setsockopt(s.control, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(s.control, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  if (::connect(s.control, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return false;
  std::string hello;
  put_u32(hello, kHello);
  put_u32(hello, kVersion);
  return send_all(s.control, packet(hello));
}

/// Reads the master's hello, asks for a session running `command` and hands it our
/// stdin (/dev/null), stdout and stderr pipes.
bool open_session(Session& s, const std::string& command) {
  auto hello = recv_packet(s.control);
  if (!hello || hello->size() < 8 || get_u32(*hello, 0) != kHello || get_u32(*hello, 4) != kVersion) return false;
  std::string request;
  put_u32(request, kNewSession);
  put_u32(request, 1);  // request id
  put_string(request, "");  // reserved
  for (int flag = 0; flag < 4; ++flag) put_u32(request, 0);  // tty, X11, agent, subsystem: none
  put_u32(request, kNoEscapeChar);
  put_string(request, "");  // terminal type
  put_string(request, command);
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return false;
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]), ::close(out[1]);
    return false;
  }
  s.out = out[0];
  s.err = err[0];
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  bool sent = null >= 0 && send_all(s.control, packet(request)) && send_fd(s.control, null) &&
              send_fd(s.control, out[1]) && send_fd(s.control, err[1]);
  if (null >= 0) ::close(null);
  ::close(out[1]);
  ::close(err[1]);
  for (int fd : {s.control, s.out, s.err}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return sent;
}

/// Takes in what the master said: whole packets out of `pending`.
void read_control(Session& s) {
  char buffer[4096];
  ssize_t n = ::read(s.control, buffer, sizeof buffer);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) {
    s.master_gone = true;
    close_fd(s.control);
    return;
  }
  s.pending.append(buffer, static_cast<std::size_t>(n));
  while (s.pending.size() >= 8) {
    std::uint32_t size = get_u32(s.pending, 0);
    if (size < 4 || size > kMaxPacket) return s.fail(s.opened ? MuxEnd::closed : MuxEnd::no_master, "bad packet");
    if (s.pending.size() < 4 + size) return;
    std::string body = s.pending.substr(4, size);
    s.pending.erase(0, 4 + size);
    std::uint32_t type = get_u32(body, 0);
    if (type == kSessionOpened) s.opened = true;
    if ((type == kPermissionDenied || type == kFailure) && !s.opened)
      return s.fail(MuxEnd::no_master, "the master refused the session: " + get_string(body, 8));
    if (type == kExitMessage && body.size() >= 12) {
      s.got_status = true;
      s.run.exit_code = static_cast<int>(get_u32(body, 8));
    }
  }
}

void read_output(int& fd, std::string& into) {
  char buffer[8192];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) return close_fd(fd);
  into.append(buffer, static_cast<std::size_t>(n));
}

}  // namespace

std::vector<MuxRun> run_over_masters(const Ssh& ssh, const std::vector<MuxJob>& jobs,
                                     std::chrono::milliseconds timeout, int cancel_fd) {
  auto deadline = Clock::now() + timeout;
  std::vector<Session> sessions(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (!connect_master(sessions[i], ssh.master_socket(jobs[i].target))) sessions[i].fail(MuxEnd::no_master, "no master socket");
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (!sessions[i].done && !open_session(sessions[i], jobs[i].command))
      sessions[i].fail(MuxEnd::no_master, "the master did not take the session");

  for (;;) {
    std::vector<pollfd> fds;
    std::vector<std::pair<std::size_t, int*>> owners;  // which session and which of its descriptors
    for (std::size_t i = 0; i < sessions.size(); ++i)
      for (int* fd : {&sessions[i].control, &sessions[i].out, &sessions[i].err})
        if (!sessions[i].done && *fd >= 0) {
          fds.push_back({*fd, POLLIN, 0});
          owners.push_back({i, fd});
        }
    if (fds.empty()) break;
    if (cancel_fd >= 0) fds.push_back({cancel_fd, POLLIN, 0});
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    int ready = left <= 0 ? 0 : ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      for (auto& s : sessions)
        if (!s.done) s.fail(MuxEnd::timed_out, "");
      break;
    }
    if (cancel_fd >= 0 && fds.back().revents != 0) {
      for (auto& s : sessions)
        if (!s.done) s.fail(MuxEnd::cancelled, "");
      break;
    }
    for (std::size_t k = 0; k < owners.size(); ++k) {
      if (fds[k].revents == 0) continue;
      auto& [i, fd] = owners[k];
      Session& s = sessions[i];
      if (s.done || *fd < 0) continue;
      if (fd == &s.control) read_control(s);
      else read_output(*fd, fd == &s.out ? s.run.out : s.run.err);
      s.finish_if_complete();
    }
  }
  std::vector<MuxRun> runs;
  for (auto& s : sessions) runs.push_back(std::move(s.run));
  return runs;
}

}  // namespace beowulf::remote
