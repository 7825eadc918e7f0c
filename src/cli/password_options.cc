#include "cli/password_options.h"

#include <unistd.h>

#include <fmt/core.h>

#include "sys/password_input.h"

namespace beowulf::cli {

void PasswordOptions::attach(CLI::App& sub) {
  auto* file_option = sub.add_option("--password-file", file, "read the password from FILE (mode 0600)")->type_name("FILE");
  sub.add_flag("--password-stdin", from_stdin, "read the password from the first line of standard input")
      ->excludes(file_option);
}

Result<std::string> PasswordOptions::read(const std::string& prompt) const {
  if (!file.empty()) return sys::read_password_file(file);
  if (from_stdin) return sys::read_password_from_fd(STDIN_FILENO);
  return sys::read_password_from_terminal(prompt);
}

void UnneededPasswordOptions::attach(CLI::App& sub, const std::string& flag_file, const std::string& flag_stdin) {
  const char* why = "no longer needed, accepted and ignored: the members' sudo needs no password";
  file_flag = flag_file;
  auto* file_option = sub.add_option(flag_file, file, why)->type_name("FILE");
  if (!flag_stdin.empty()) sub.add_flag(flag_stdin, from_stdin, why)->excludes(file_option);
}

void UnneededPasswordOptions::drop(const std::string& command) const {
  if (file.empty() && !from_stdin) return;
  if (from_stdin)
    if (auto line = sys::read_password_from_fd(STDIN_FILENO); line.ok()) sys::wipe(*line);
  fmt::print(stderr, "{}: {} is no longer needed and was ignored: no node is sent the password ('beowulf add' gives "
                     "the members password-less sudo)\n",
             command, from_stdin ? "--password-stdin" : file_flag);
}

}  // namespace beowulf::cli
