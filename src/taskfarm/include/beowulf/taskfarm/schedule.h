#pragma once
// How many tasks go into the next batch: guided scheduling (a share of what remains,
// so chunks shrink toward the end and the tail stays balanced), bounded by the time a
// batch should take (so slow tasks go one or two at a time) once task times are known.
// A pure function of its inputs, so the policy is tested without MPI.

#include <algorithm>
#include <cstddef>

namespace beowulf {

struct ChunkPolicy {
  std::size_t workers = 1;          ///< ranks that run tasks
  std::size_t in_flight = 3;        ///< batches a worker may hold at once
  double target_batch_seconds = 0.02;  ///< how long one batch should keep a worker busy
  std::size_t max_chunk = 1 << 15;  ///< never more tasks than this in one message

  /// The size of the next batch when `remaining` tasks are still to hand out and tasks
  /// take `mean_task_seconds` each (negative: not measured yet). At least 1 when
  /// remaining > 0; 0 when nothing remains.
  std::size_t next_chunk(std::size_t remaining, double mean_task_seconds) const {
    if (remaining == 0) return 0;
    if (mean_task_seconds < 0) return 1;  // probe: learn the task time on small batches
    std::size_t slots = std::max<std::size_t>(1, workers * in_flight);
    std::size_t guided = (remaining + slots - 1) / slots;
    std::size_t by_time = max_chunk;
    if (mean_task_seconds > 0) {
      double n = target_batch_seconds / mean_task_seconds;
      if (n < static_cast<double>(max_chunk)) by_time = static_cast<std::size_t>(n);
    }
    return std::max<std::size_t>(1, std::min({guided, by_time, max_chunk}));
  }
};

}  // namespace beowulf
