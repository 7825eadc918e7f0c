#pragma once
// Check: what `beowulf doctor` looks at, one id each (`reach`, `names`, ...), the checks
// each depends on, and its findings: one per node or pair it concerns, each a verdict
// with the evidence and, when something is wrong, a fix the user can paste. Pure values.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace beowulf::cluster {

/// ✔ works, ! works but worth fixing, ✘ broken, - not looked at (a dependency failed).
enum class Verdict { ok, warn, fail, skipped };

/// A fix doctor --fix may apply by itself: a script run on `node` (the master's name
/// for the master), as the node's user. Empty script: only the `fix` line is printed.
struct SafeFix {
  std::string node;
  std::string script;
  bool needs_asking = false;  ///< changes something users may care about: ask first
};

/// What a finding's `fix:` line tells the user to do, as data: `doctor --fix` acts on its
/// kind, and the line is rendered from it (line()), so the two cannot disagree.
struct Fix {
  enum class Kind {
    paste,  ///< a command line for the user to paste (empty: nothing to fix)
    add,    ///< `beowulf add ADDRESS`: --fix runs the add workflow for it
  };
  Kind kind = Kind::paste;
  std::string argument;  ///< paste: the command line; add: the node's address

  Fix() = default;
  /// A command to paste: most fixes are one.
  Fix(std::string command) : argument(std::move(command)) {}  // implicit: most fixes are this
  Fix(const char* command) : argument(command) {}
  /// `beowulf add ADDRESS` for the node at `address`.
  static Fix add(std::string address);

  /// The `fix:` line: the command, or "beowulf add ADDRESS"; empty: nothing to fix.
  std::string line() const;
  bool empty() const { return argument.empty(); }
  bool operator==(const Fix&) const = default;
};

struct Finding {
  std::string check;    ///< its id, "ssh-node-to-master"
  std::string subject;  ///< "worker002", or a pair "worker001 -> worker002", or a file
  Verdict verdict = Verdict::ok;
  std::string evidence;  ///< what was seen: "port 22 answers", "resolves to 127.0.1.1"
  Fix fix;              ///< what to do about it; empty when there is nothing to fix
  SafeFix safe_fix;      ///< what --fix does; empty script: nothing
  bool operator==(const Finding&) const = default;
};

struct CheckInfo {
  std::string id;
  std::string title;                    ///< "key login from the master to each node"
  std::vector<std::string> depends_on;  ///< ids checked before it on the same subject
};

/// Every check, in the order doctor runs and prints them.
const std::vector<CheckInfo>& all_checks();

/// The check with that id; nullptr when none has it.
const CheckInfo* find_check(std::string_view id);

/// "✔", "!", "✘", "-".
std::string_view verdict_mark(Verdict verdict);

/// "ok", "warn", "fail", "skipped" (the JSON's words).
std::string_view verdict_name(Verdict verdict);

/// The worst verdict of `findings` of check `id` (fail > warn > ok > skipped);
/// nullopt when it has none.
std::optional<Verdict> check_verdict(const std::vector<Finding>& findings, std::string_view id);

/// The reason check `id` is not run on `node`: "ssh-master-to-node failed" when a check
/// it depends on (directly or not) failed on that node; nullopt when it may run.
std::optional<std::string> skip_reason(const std::vector<Finding>& findings, std::string_view id,
                                       std::string_view node);

/// A skipped finding of check `id` on `node` for `reason`.
Finding skipped(std::string_view id, std::string_view node, std::string_view reason);

/// 1 when any finding failed, else 0: doctor's exit status.
int exit_status(const std::vector<Finding>& findings);

}  // namespace beowulf::cluster
