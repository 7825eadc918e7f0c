#pragma once
// TaskFunction: the user's function as the task threads call it. `one` runs one task.
// `array` runs an array of tasks into an array of results, for tasks and results that are
// their own bytes on the wire (a kPlain batch, wire.h): the user's function is called
// directly inside the loop, not through a std::function per task, so that an empty task
// costs about a copy.

#include <cstdint>
#include <cstring>
#include <functional>
#include <utility>

#include "beowulf/taskfarm/serialize.h"

namespace beowulf::detail {

template <typename Task, typename Result>
struct TaskFunction {
  /// Whether batches of these types travel as arrays (kPlain).
  static constexpr bool kArrays = wire::same_in_memory<Task>() && wire::same_in_memory<Result>();

  /// Runs tasks [done, n) of `tasks` into `results`, counting in `done`: when a task
  /// throws, the exception leaves with `done` at that task.
  using Array = std::function<void(const char* tasks, char* results, std::uint32_t n, std::uint32_t& done)>;

  std::function<Result(const Task&)> one;
  Array array;  ///< empty unless kArrays

  template <typename F>
  static TaskFunction of(F fn) {
    TaskFunction f;
    if constexpr (kArrays) f.array = array_of(fn);
    f.one = std::move(fn);
    return f;
  }

 private:
  template <typename F>
  static Array array_of(F fn) {
    // The count lives in a local and reaches `done` only when the loop ends or a task
    // throws: stored through the reference each time, it would keep the compiler from
    // turning the loop over a lambda's body into a plain copy.
    return [fn = std::move(fn)](const char* tasks, char* results, std::uint32_t n, std::uint32_t& done) mutable {
      std::uint32_t k = done;
      try {
        for (; k < n; ++k) {
          Task task;
          std::memcpy(&task, tasks + std::size_t{k} * sizeof(Task), sizeof(Task));
          Result result = fn(std::as_const(task));
          std::memcpy(results + std::size_t{k} * sizeof(Result), &result, sizeof(Result));
        }
      } catch (...) {
        done = k;
        throw;
      }
      done = n;
    };
  }
};

}  // namespace beowulf::detail
