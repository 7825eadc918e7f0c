#pragma once
// The worker's side of the task farm, and the pieces of the wire both sides share.
//
// The protocol, on the farm's own communicator:
//   master -> worker  kTasks    batch id u64 | count u32 | count x task
//   worker -> master  kResults  batch id u64 | compute seconds f64 | count u32 |
//                               count x (status u8 | result, or the exception's message)
//   master -> worker  kStop     empty: the worker returns
// One message per batch, received with MPI_Mprobe/MPI_Mrecv at the size it has: never a
// size message followed by a data message.

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "beowulf/taskfarm/serialize.h"

namespace beowulf::detail {

enum Tag : int { kTasks = 1, kResults = 2, kStop = 3 };

/// Spins on MPI, then sleeps a little longer each time, so that an idle rank leaves the
/// core to the ranks that compute; never sleeps while `busy` (a large message moves only
/// while both sides call into MPI).
struct Backoff {
  int spins = 0;
  void pause(bool busy) {
    if (busy) {
      spins = 0;
      return;
    }
    if (++spins < 256) return;
    std::this_thread::sleep_for(std::chrono::microseconds(spins < 1024 ? 5 : 50));
  }
};

/// Waits for a message from `source` with `tag` on `comm`; `busy()` says when not to sleep.
template <typename Busy>
void wait_probe(MPI_Comm comm, int source, int tag, MPI_Message* msg, MPI_Status* status, Busy&& busy) {
  Backoff backoff;
  for (int flag = 0;;) {
    MPI_Improbe(source, tag, comm, &flag, msg, status);
    if (flag) return;
    backoff.pause(busy());
  }
}

/// Receives the probed message into `into`, resized to its length.
inline void receive(MPI_Message& msg, MPI_Status& status, std::vector<char>& into) {
  int size = 0;
  MPI_Get_count(&status, MPI_BYTE, &size);
  into.resize(static_cast<std::size_t>(size));
  MPI_Mrecv(into.data(), size, MPI_BYTE, &msg, &status);
}

/// Appends the status and result of fn(task) (or the message of what it threw) to `out`.
template <typename Task, typename Result>
void run_one(const std::function<Result(const Task&)>& fn, const Task& task, std::vector<char>& out) {
  std::size_t mark = out.size();
  Writer w(out);
  std::string error;
  try {
    Result result = fn(task);
    w << std::uint8_t{0};
    w.put(result);
    return;
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "task threw an exception that is not a std::exception";
  }
  out.resize(mark);  // drop what a failing serialize hook may have written
  w << std::uint8_t{1} << error;
}

/// Runs the tasks of one kTasks message `in`; the kResults message in `out`.
template <typename Task, typename Result>
void run_batch(const std::function<Result(const Task&)>& fn, const std::vector<char>& in,
               std::vector<char>& out) {
  Reader r(in.data(), in.size());
  auto id = r.get<std::uint64_t>();
  auto count = r.get<std::uint32_t>();
  out.clear();
  Writer w(out);
  w << id << 0.0 << count;
  auto start = std::chrono::steady_clock::now();
  Task task{};
  for (std::uint32_t k = 0; k < count; ++k) {
    try {
      r.get(task);
    } catch (const DecodeError& e) {
      for (; k < count; ++k) w << std::uint8_t{1} << std::string("task could not be decoded: ") + e.what();
      break;
    }
    run_one(fn, task, out);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::memcpy(out.data() + sizeof(std::uint64_t), &seconds, sizeof seconds);
}

/// The worker: runs the batches rank 0 sends on `comm` until kStop. Results go back with
/// MPI_Isend from two alternating buffers, so the next batch runs while one travels.
template <typename Task, typename Result>
void serve(MPI_Comm comm, const std::function<Result(const Task&)>& fn) {
  std::vector<char> in, out[2];
  MPI_Request sending[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  auto result_on_its_way = [&] {
    int done = 0;
    MPI_Testall(2, sending, &done, MPI_STATUSES_IGNORE);
    return !done;
  };
  for (int which = 0;; which ^= 1) {
    MPI_Message msg;
    MPI_Status status;
    wait_probe(comm, 0, MPI_ANY_TAG, &msg, &status, result_on_its_way);
    receive(msg, status, in);
    if (status.MPI_TAG == kStop) break;
    MPI_Wait(&sending[which], MPI_STATUS_IGNORE);  // its buffer is free again
    run_batch(fn, in, out[which]);
    MPI_Isend(out[which].data(), static_cast<int>(out[which].size()), MPI_BYTE, 0, kResults, comm,
              &sending[which]);
  }
  MPI_Waitall(2, sending, MPI_STATUSES_IGNORE);
}

}  // namespace beowulf::detail
