// beowulf-askpass: the SSH_ASKPASS helper that ssh runs, with its prompt as argument,
// when a first contact needs the node's password. It asks the beowulf process that
// started ssh for the password over the Unix socket named by BEOWULF_ASKPASS_SOCKET
// (see remote/askpass.h) and prints it on stdout. It answers a login password prompt
// only: a host key confirmation, a passphrase or anything else gets nothing (exit 1).

#include <cstdio>
#include <cstdlib>
#include <string>

#include "remote/askpass.h"

namespace {

int refuse(const std::string& why) {
  std::fprintf(stderr, "beowulf-askpass: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string prompt = argc > 1 ? argv[1] : "";
  if (prompt.find("continue connecting") != std::string::npos)
    return refuse("refusing to confirm a host key: beowulf trusts a new host key only at first contact, never a changed one");
  if (!beowulf::remote::is_password_prompt(prompt))
    return refuse("refusing to answer \"" + prompt + "\": only a login password is given");
  const char* socket = std::getenv("BEOWULF_ASKPASS_SOCKET");
  if (socket == nullptr || *socket == '\0')
    return refuse("BEOWULF_ASKPASS_SOCKET is not set: this helper answers only an ssh that beowulf started");
  auto password = beowulf::remote::ask_askpass_server(socket, prompt);
  if (!password) return refuse(password.error().message());
  std::fwrite(password->data(), 1, password->size(), stdout);
  std::fputc('\n', stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
