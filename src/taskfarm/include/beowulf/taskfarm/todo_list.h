#pragma once
// TodoList: the master's to-do list of one call, the task indices in hand-out order.
// Positions [0, in_order) are the call's first tasks themselves (position p is task p),
// so a call of N tasks costs no list of N indices, and a batch of positions there is a
// run of neighbouring tasks (one copy onto the wire when the task type allows it). Tasks
// that come later (those a run() callback submits, those a lost thread did not run, and
// every task when a journal may already hold some) are listed one by one after them.

#include <cstddef>
#include <vector>

namespace beowulf::detail {

class TodoList {
 public:
  /// Empties the list, then puts tasks [0, n) on it in order.
  void reset(std::size_t n) {
    in_order_ = n;
    later_.clear();
  }

  void push_back(std::size_t task) { later_.push_back(task); }

  std::size_t size() const { return in_order_ + later_.size(); }

  /// The task at position p.
  std::size_t operator[](std::size_t p) const { return p < in_order_ ? p : later_[p - in_order_]; }

  /// Whether positions [begin, end) are tasks [begin, end).
  bool in_order(std::size_t begin, std::size_t end) const { return begin <= end && end <= in_order_; }

 private:
  std::size_t in_order_ = 0;
  std::vector<std::size_t> later_;
};

}  // namespace beowulf::detail
