#pragma once
// AskpassServer: hands the one-time password of a first contact to ssh, which asks for
// it by running $SSH_ASKPASS (our `beowulf-askpass` helper) with the prompt as argument.
//
// ssh closes every inherited descriptor above stderr before it runs the helper, so the
// password cannot come through an inherited pipe. Instead this process serves it on a
// Unix socket in a fresh 0700 directory; only the socket's path goes into ssh's
// environment. The password is never in a file, an argv, an environment or a log.
//
// Contract:
// - start() makes the directory and the socket and answers in a thread of its own until
//   the server is destroyed, which removes the directory and wipes the password.
// - It answers a peer only when the peer runs as our uid (SO_PEERCRED), when its prompt
//   is a login password prompt (is_password_prompt), and at most `max_answers` times.
//   Every other request gets a refusal, never the password.

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.h"

namespace beowulf::remote {

/// True when ssh's `prompt` asks for a login password ("linaro@198.18.0.11's password: ",
/// "(linaro@198.18.0.11) Password: "); false for anything else ssh may ask through
/// SSH_ASKPASS: a host key confirmation ("Are you sure you want to continue connecting"),
/// a key's passphrase, a new password.
bool is_password_prompt(std::string_view prompt);

struct AskpassOptions {
  std::string helper;           ///< the beowulf-askpass program: default_askpass_helper() when empty
  std::size_t max_answers = 1;  ///< how many times the password is given out
  std::string parent_dir;       ///< where the 0700 directory is made: $XDG_RUNTIME_DIR, $TMPDIR or /tmp when empty
};

class AskpassServer {
 public:
  /// Starts serving `password`. Fails when the directory or the socket cannot be made.
  static Result<std::unique_ptr<AskpassServer>> start(std::string password, AskpassOptions options = {});

  AskpassServer(const AskpassServer&) = delete;
  AskpassServer& operator=(const AskpassServer&) = delete;
  ~AskpassServer();

  /// For ProcessSpec::env of an ssh child: SSH_ASKPASS (the helper),
  /// SSH_ASKPASS_REQUIRE=force (ask the helper even with a terminal), BEOWULF_ASKPASS_SOCKET,
  /// and DISPLAY when ours is unset (ssh before 8.4 runs the helper only with a DISPLAY).
  std::map<std::string, std::string> environment() const;

  const std::string& socket_path() const { return socket_path_; }
  const std::string& directory() const { return directory_; }
  std::size_t answers_given() const { return answers_given_; }

 private:
  AskpassServer(std::string password, AskpassOptions options) : password_(std::move(password)), options_(std::move(options)) {}
  Status listen();
  void serve();
  void answer(int connection);

  std::string password_;
  AskpassOptions options_;
  std::string directory_, socket_path_;
  int listen_fd_ = -1;
  int stop_[2] = {-1, -1};
  std::atomic<std::size_t> answers_given_{0};
  std::thread thread_;
};

/// The helper's side: asks the server listening on `socket_path` to answer `prompt`.
/// Fails when it cannot reach the server, or when the server refuses (with its reason).
Result<std::string> ask_askpass_server(const std::string& socket_path, std::string_view prompt);

/// The beowulf-askpass program next to the running one (both are installed together).
std::string default_askpass_helper();

}  // namespace beowulf::remote
