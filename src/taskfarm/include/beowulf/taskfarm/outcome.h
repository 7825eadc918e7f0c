#pragma once
// Outcome<R>: what one task gave back on the master: its result, or the message of the
// exception it threw on the worker. A failed task does not stop the farm.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace beowulf {

/// The message of an exception a task threw, as the master received it.
struct TaskError {
  std::string message;
};

/// Thrown by Outcome::value() on an outcome that holds a TaskError.
struct TaskFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename R>
class Outcome {
 public:
  Outcome(R value) : state_(std::move(value)) {}           // NOLINT: implicit on purpose
  Outcome(TaskError error) : state_(std::move(error)) {}   // NOLINT: implicit on purpose

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The result; throws TaskFailed with the task's message when the task threw.
  R& value() & { check(); return std::get<0>(state_); }
  const R& value() const& { check(); return std::get<0>(state_); }
  R&& value() && { check(); return std::get<0>(std::move(state_)); }
  R& operator*() & { return value(); }
  const R& operator*() const& { return value(); }
  R* operator->() { return &value(); }
  const R* operator->() const { return &value(); }

  /// The message of the exception the task threw; empty when it did not.
  const std::string& error() const {
    static const std::string none;
    return ok() ? none : std::get<1>(state_).message;
  }

 private:
  void check() const {
    if (!ok()) throw TaskFailed(std::get<1>(state_).message);
  }
  std::variant<R, TaskError> state_;
};

}  // namespace beowulf
