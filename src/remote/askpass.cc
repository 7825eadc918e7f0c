#include "remote/askpass.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <fmt/core.h>

#include "sys/password_input.h"

namespace beowulf::remote {
namespace {

constexpr std::size_t kMaxPrompt = 4096;
constexpr int kPeerTimeoutMs = 2000;  // a peer that says nothing cannot hold the server

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string parent_directory(const AskpassOptions& options) {
  if (!options.parent_dir.empty()) return options.parent_dir;
  for (const char* name : {"XDG_RUNTIME_DIR", "TMPDIR"}) {
    const char* dir = std::getenv(name);
    if (dir != nullptr && *dir != '\0' && access(dir, W_OK | X_OK) == 0) return dir;
  }
  return "/tmp";
}

Result<sockaddr_un> socket_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path)
    return Error{fmt::format("askpass socket {}: the path is too long for a Unix socket", path), "", ""};
  std::copy(path.begin(), path.end(), address.sun_path);
  return address;
}

/// Reads until EOF, `limit` bytes or `timeout_ms` of silence; false on a read error or timeout.
bool read_all(int fd, std::string& out, std::size_t limit, int timeout_ms) {
  char buffer[1024];
  while (out.size() < limit) {
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

bool is_password_prompt(std::string_view prompt) {
  std::string text = lowercase(prompt);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (!text.ends_with("password:")) return false;
  for (std::string_view refused : {"continue connecting", "passphrase", "new password", "retype", "confirm"})
    if (text.find(refused) != std::string::npos) return false;
  return true;
}

Result<std::unique_ptr<AskpassServer>> AskpassServer::start(std::string password, AskpassOptions options) {
  if (options.helper.empty()) options.helper = default_askpass_helper();
  std::unique_ptr<AskpassServer> server(new AskpassServer(std::move(password), std::move(options)));
  if (Status listening = server->listen(); !listening) return listening.error();
  server->thread_ = std::thread([s = server.get()] { s->serve(); });
  return server;
}

Status AskpassServer::listen() {
  std::string templ = parent_directory(options_) + "/beowulf-askpass.XXXXXX";
  if (mkdtemp(templ.data()) == nullptr)  // mkdtemp makes it 0700
    return Error{fmt::format("askpass: make a private directory in {}: {}", parent_directory(options_),
                             strerror(errno)), "", ""};
  directory_ = templ;
  socket_path_ = directory_ + "/socket";
  auto address = socket_address(socket_path_);
  if (!address) return address.error();
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&*address), sizeof *address) != 0 ||
      ::listen(listen_fd_, 16) != 0 || pipe2(stop_, O_CLOEXEC) != 0)
    return Error{fmt::format("askpass socket {}: {}", socket_path_, strerror(errno)), "", ""};
  return {};
}

AskpassServer::~AskpassServer() {
  if (thread_.joinable()) {
    (void)!write(stop_[1], "x", 1);
    thread_.join();
  }
  for (int fd : {listen_fd_, stop_[0], stop_[1]})
    if (fd >= 0) close(fd);
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  explicit_bzero(password_.data(), password_.size());
}

std::map<std::string, std::string> AskpassServer::environment() const {
  std::map<std::string, std::string> env = {
      {"SSH_ASKPASS", options_.helper},
      {"SSH_ASKPASS_REQUIRE", "force"},
      {"BEOWULF_ASKPASS_SOCKET", socket_path_},
  };
  const char* display = std::getenv("DISPLAY");
  if (display == nullptr || *display == '\0') env["DISPLAY"] = "beowulf-askpass:0";
  return env;
}

void AskpassServer::serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    int connection = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    answer(connection);
    close(connection);
  }
}

/// The protocol: the peer sends its prompt and shuts down its side; the reply is
/// "+PASSWORD" or "-why not".
void AskpassServer::answer(int connection) {
  ucred peer{};
  socklen_t size = sizeof peer;
  if (getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 || peer.uid != geteuid()) {
    write_all(connection, "-not the same user");
    return;
  }
  std::string prompt;
  if (!read_all(connection, prompt, kMaxPrompt, kPeerTimeoutMs)) {
    write_all(connection, "-no prompt received");
    return;
  }
  if (!is_password_prompt(prompt)) {
    write_all(connection, "-not a password prompt");
    return;
  }
  if (answers_given_ >= options_.max_answers) {
    write_all(connection, fmt::format("-the password was already given {} time(s)", options_.max_answers));
    return;
  }
  ++answers_given_;
  std::string reply = "+" + password_;
  write_all(connection, reply);
  explicit_bzero(reply.data(), reply.size());
}

Result<std::string> ask_askpass_server(const std::string& socket_path, std::string_view prompt) {
  auto address = socket_address(socket_path);
  if (!address) return address.error();
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&*address), sizeof *address) != 0) {
    std::string why = strerror(errno);
    if (fd >= 0) close(fd);
    return Error{fmt::format("cannot reach the askpass server at {}: {}", socket_path, why), "", ""};
  }
  std::string reply;
  bool ok = write_all(fd, prompt) && shutdown(fd, SHUT_WR) == 0 && read_all(fd, reply, 65536, 30000);
  close(fd);
  if (!ok || reply.empty()) return Error{"the askpass server did not answer", "", ""};
  if (reply[0] != '+') return Error{fmt::format("the askpass server refused: {}", reply.substr(1)), "", ""};
  std::string password = reply.substr(1);
  sys::wipe(reply);
  return password;
}

std::string default_askpass_helper() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "beowulf-askpass" : (self.parent_path() / "beowulf-askpass").string();
}

}  // namespace beowulf::remote
