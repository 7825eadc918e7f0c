#pragma once
// Error: what went wrong, on which node, and what the user can do about it.
// Library code returns it as a value (see result.h); only src/cli/ prints it.

#include <string>

namespace beowulf {

enum class ErrorKind {
  failed,     ///< something failed on a node or on this machine (exit status 1)
  bad_input,  ///< the user's input was refused before anything changed (exit status 2)
};

struct Error {
  std::string what;  ///< "set hostname: sudo asked for a password"
  std::string node;  ///< "worker002 (198.18.0.12)", empty when no node is concerned
  std::string hint;  ///< a fix to suggest, empty when there is none
  ErrorKind kind = ErrorKind::failed;

  /// "node: what", or just "what" when no node is concerned.
  std::string message() const { return node.empty() ? what : node + ": " + what; }
};

/// An error for input the user gave: a malformed node set, a bad address, a typo in a file.
inline Error bad_input(std::string what, std::string hint = {}) {
  return Error{std::move(what), {}, std::move(hint), ErrorKind::bad_input};
}

}  // namespace beowulf
