#include "cli/password_options.h"

#include <unistd.h>

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

}  // namespace beowulf::cli
