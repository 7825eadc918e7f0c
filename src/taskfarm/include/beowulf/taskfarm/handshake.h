#pragma once
// The start-up handshake of a farm: every rank reports the layout fingerprint of its task
// and result types (layout.h), its byte order and how many task threads it runs. Ranks
// that disagree with rank 0 (a rank built from other sources, or a 32-bit board whose raw
// struct holds a `long`) would read each other's bytes wrongly: every rank stops, and
// rank 0 says which ranks differ.

#include <mpi.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "beowulf/taskfarm/serialize.h"

namespace beowulf::detail {

struct RankLayout {
  std::uint64_t layout = 0;
  bool little_endian = std::endian::native == std::endian::little;
  std::uint32_t threads = 1;
};

inline std::string describe_rank_layout(const RankLayout& r) {
  char text[64];
  std::snprintf(text, sizeof text, "layout %016llx, %s", static_cast<unsigned long long>(r.layout),
                r.little_endian ? "little-endian" : "big-endian");
  return text;
}

/// What rank 0 says when some ranks disagree with it; empty when all agree.
inline std::string layout_mismatch(const std::vector<RankLayout>& ranks) {
  std::string differing;
  std::size_t count = 0, first = 0;
  for (std::size_t r = 1; r < ranks.size(); ++r) {
    if (ranks[r].layout == ranks[0].layout && ranks[r].little_endian == ranks[0].little_endian) continue;
    differing += (count ? ", " : "") + std::to_string(r);
    if (count++ == 0) first = r;
  }
  if (count == 0) return "";
  return "beowulf::TaskFarm: rank" + std::string(count > 1 ? "s " : " ") + differing +
         (count > 1 ? " encode" : " encodes") + " the task and result types differently from rank 0 (" + describe_rank_layout(ranks[0]) +
         "; rank " + std::to_string(first) + ": " + describe_rank_layout(ranks[first]) +
         "): every rank stops. Build every rank from the same sources; a struct sent as raw bytes "
         "must not hold a long or size_t (or give it serialize and deserialize functions)";
}

/// Collective over `comm`: every rank's RankLayout, in rank order. On a mismatch rank 0
/// prints layout_mismatch() on stderr and every rank exits with code 3.
inline std::vector<RankLayout> handshake(MPI_Comm comm, const RankLayout& mine) {
  constexpr int kSize = 8 + 1 + 4;
  std::vector<char> out;
  Writer(out) << mine.layout << std::uint8_t{mine.little_endian} << mine.threads;
  int size = 1, rank = 0;
  MPI_Comm_size(comm, &size);
  MPI_Comm_rank(comm, &rank);
  std::vector<char> all(static_cast<std::size_t>(size) * kSize);
  MPI_Allgather(out.data(), kSize, MPI_BYTE, all.data(), kSize, MPI_BYTE, comm);
  std::vector<RankLayout> ranks(static_cast<std::size_t>(size));
  Reader r(all.data(), all.size());
  for (auto& each : ranks) {
    each.layout = r.get<std::uint64_t>();
    each.little_endian = r.get<std::uint8_t>() != 0;
    each.threads = r.get<std::uint32_t>();
  }
  std::string mismatch = layout_mismatch(ranks);
  if (mismatch.empty()) return ranks;
  if (rank == 0) {
    std::fprintf(stderr, "%s\n", mismatch.c_str());
    std::fflush(stderr);
  }
  // Every rank saw the same table, so every rank ends alike and on its own. MPI_Abort
  // would have the launcher kill the others, and mpiexec then prints its own banner of
  // a "bad termination" that would bury the one line that says what is wrong.
  MPI_Finalize();
  std::exit(3);
}

}  // namespace beowulf::detail
