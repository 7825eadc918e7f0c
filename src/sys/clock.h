#pragma once
// Clock: the seam through which code that waits or times out reads the time, so that
// tests can move time by hand instead of sleeping.

#include <chrono>

namespace beowulf::sys {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  /// The current time, monotonic.
  virtual TimePoint now() const = 0;
};

/// The real monotonic clock (std::chrono::steady_clock). Lives for the whole program.
const Clock& steady_clock();

/// A clock that moves only when told: starts at an arbitrary fixed point.
class FakeClock : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  TimePoint now_ = TimePoint{} + std::chrono::hours(1);
};

}  // namespace beowulf::sys
