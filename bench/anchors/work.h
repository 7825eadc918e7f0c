#pragma once
// A task of fixed CPU work for bench/taskfarm: `iterations` dependent multiply-adds.
// Fixed work, not fixed wall time, so that a rank that is preempted by another program
// on a shared machine does not make its tasks look longer than they are.
#include <chrono>
#include <cstdint>

namespace bench {

inline double work(std::uint32_t iterations) {
  volatile double sink = 0;
  double x = 1.0;
  for (std::uint32_t i = 0; i < iterations; ++i) x = x * 1.0000001 + 1e-9;
  sink = x;
  return sink;
}

/// Iterations of work() in one millisecond on an unloaded core: the fastest of 30 trials.
inline std::uint32_t iterations_per_ms() {
  constexpr std::uint32_t kTrial = 200000;
  double best = 1e9;
  for (int t = 0; t < 30; ++t) {
    auto start = std::chrono::steady_clock::now();
    work(kTrial);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ms < best) best = ms;
  }
  return static_cast<std::uint32_t>(kTrial / best);
}

}  // namespace bench
