#include "remote/mux_session.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <thread>

#include "sys/temp_dir.h"

namespace beowulf::remote {
namespace {

// A stand-in for an ssh ControlMaster: it speaks the multiplexing protocol, and instead
// of asking a node to run the command it writes the command's text to the stdout it was
// given ("ran: CMD"), "on stderr" to the stderr, then reports exit status 3.
class FakeMaster {
 public:
  enum class Behaviour { answer, refuse, hang };

  /// Listens where `ssh` keeps the master socket of `target` (Ssh::master_socket).
  FakeMaster(Behaviour b, const Ssh& ssh, const Target& target) : behaviour_(b), path_(ssh.master_socket(target)) {
    listener_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strcpy(a.sun_path, path_.c_str());
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 4);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeMaster() {
    thread_.join();
    ::close(listener_);
    std::filesystem::remove(path_);
  }
  std::string path() const { return path_; }

 private:
  static void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
  static std::uint32_t u32(const char* p) {
    return (std::uint32_t(std::uint8_t(p[0])) << 24) | (std::uint32_t(std::uint8_t(p[1])) << 16) |
           (std::uint32_t(std::uint8_t(p[2])) << 8) | std::uint8_t(p[3]);
  }
  static std::string read_packet(int fd) {
    char head[4];
    if (::recv(fd, head, 4, MSG_WAITALL) != 4) return {};
    std::string body(u32(head), '\0');
    ::recv(fd, body.data(), body.size(), MSG_WAITALL);
    return body;
  }
  static void send_packet(int fd, const std::string& body) {
    std::string out;
    put_u32(out, static_cast<std::uint32_t>(body.size()));
    out += body;
    ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
  }
  static int receive_fd(int fd) {
    char byte;
    iovec io{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    if (::recvmsg(fd, &msg, 0) != 1) return -1;
    int passed;
    std::memcpy(&passed, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof passed);
    return passed;
  }

  void serve() {
    int c = ::accept(listener_, nullptr, nullptr);
    std::string hello;
    put_u32(hello, 1);
    put_u32(hello, 4);
    send_packet(c, hello);
    read_packet(c);  // the client's hello
    std::string request = read_packet(c);
    // As ssh's master does, take the client's three descriptors before answering: a
    // refusal sent first, then the close, made the client's sending them fail at random.
    int fds[3] = {receive_fd(c), receive_fd(c), receive_fd(c)};
    if (behaviour_ == Behaviour::refuse) {
      for (int fd : fds) ::close(fd);
      std::string no;
      put_u32(no, 0x80000002);
      put_u32(no, 1);
      put_u32(no, 7);
      no += "refused";
      send_packet(c, no);
      ::close(c);
      return;
    }
    if (behaviour_ == Behaviour::answer) {
      // The command is the last string of the request: after the fixed fields.
      std::size_t at = 4 + 4 + 4 + 16 + 4 + 4;  // type, id, reserved "", 4 flags, escape, term ""
      std::string command = request.substr(at + 4, u32(request.data() + at));
      std::string out = "ran: " + command + "\n", err = "on stderr\n";
      ::write(fds[1], out.data(), out.size());
      ::write(fds[2], err.data(), err.size());
      std::string opened, status;
      put_u32(opened, 0x80000006), put_u32(opened, 1), put_u32(opened, 9);
      put_u32(status, 0x80000004), put_u32(status, 9), put_u32(status, 3);
      send_packet(c, opened);
      send_packet(c, status);
      for (int fd : fds) ::close(fd);
      ::close(c);
      return;
    }
    // hang: hold the session open past the client's timeout, then let go.
    char byte;
    ::recv(c, &byte, 1, 0);  // returns when the client closes its end
    for (int fd : fds) ::close(fd);
    ::close(c);
  }

  Behaviour behaviour_;
  std::string path_;
  int listener_ = -1;
  std::thread thread_;
};

// Each test's sockets live in a folder of its own, named as ssh names them (%C).
class MuxSession : public ::testing::Test {
 protected:
  static Target node(const std::string& address) { return {.name = address, .address = address, .user = "linaro"}; }
  sys::TempDir sockets_{"mux-test"};
  Ssh ssh_{{.control_dir = sockets_.path()}};
};

TEST_F(MuxSession, RunsTheCommandAndReturnsItsOutputAndStatus) {
  FakeMaster master(FakeMaster::Behaviour::answer, ssh_, node("198.18.0.11"));
  auto runs = run_over_masters(ssh_, {{node("198.18.0.11"), "sha256sum -- /a"}}, std::chrono::seconds(5));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].end, MuxEnd::exited);
  EXPECT_EQ(runs[0].exit_code, 3);
  EXPECT_EQ(runs[0].out, "ran: sha256sum -- /a\n");
  EXPECT_EQ(runs[0].err, "on stderr\n");
}

TEST_F(MuxSession, NoSocketOrARefusedSessionMeansNoMasterSoSshCanRunIt) {
  FakeMaster refusing(FakeMaster::Behaviour::refuse, ssh_, node("198.18.0.13"));
  Target no_user{.name = "worker002", .address = "198.18.0.12"};  // ssh's socket for it is not known here
  Target master{.name = "master", .address = "198.18.0.10", .user = "linaro", .local = true};
  auto runs = run_over_masters(
      ssh_, {{node("198.18.0.11"), "true"}, {no_user, "true"}, {node("198.18.0.13"), "true"}, {master, "true"}},
      std::chrono::seconds(5));
  ASSERT_EQ(runs.size(), 4u);
  for (const auto& r : runs) EXPECT_EQ(r.end, MuxEnd::no_master) << r.reason;
  EXPECT_EQ(runs[2].reason, "the master refused the session: refused");
}

TEST_F(MuxSession, AMasterThatNeverAnswersTimesOutAndTheOthersFinish) {
  FakeMaster slow(FakeMaster::Behaviour::hang, ssh_, node("198.18.0.11"));
  FakeMaster quick(FakeMaster::Behaviour::answer, ssh_, node("198.18.0.12"));
  auto start = std::chrono::steady_clock::now();
  auto runs = run_over_masters(ssh_, {{node("198.18.0.11"), "sleep 100"}, {node("198.18.0.12"), "true"}},
                               std::chrono::milliseconds(300));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(runs[0].end, MuxEnd::timed_out);
  EXPECT_EQ(runs[1].end, MuxEnd::exited);
  EXPECT_EQ(runs[1].out, "ran: true\n");
}

}  // namespace
}  // namespace beowulf::remote
