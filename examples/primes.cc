// primes: counts the primes below N. The numbers are cut into ranges; each worker sieves
// its ranges (a segmented sieve of Eratosthenes) and the master adds the counts.
//
//   mpiexec -n 4 beowulf-primes 100000000
//   primes below 100000000: 5761455
//
//   beowulf-primes N [--range R] [--journal FILE]
//     --range    numbers per task (default 1000000)
//     --journal  resume from FILE after a crash: finished ranges are not sieved again;
//                stderr then says how many ranges the journal held and how many were sieved:
//                "beowulf-primes: journal FILE: 37 of 100 ranges already done, 63 sieved now"
//
// As a Slurm batch job that is requeued after a node failure: examples/primes.sbatch.
#include <beowulf/taskfarm.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

/// The numbers [lo, hi).
struct Range {
  std::uint64_t lo, hi;
};

/// Primes up to and including `limit`, by the plain sieve.
std::vector<std::uint64_t> small_primes(std::uint64_t limit) {
  std::vector<char> composite(limit + 1, 0);
  std::vector<std::uint64_t> primes;
  for (std::uint64_t i = 2; i <= limit; ++i) {
    if (composite[i]) continue;
    primes.push_back(i);
    for (std::uint64_t j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return primes;
}

std::uint64_t count_primes(const Range& r) {
  if (r.hi <= 2 || r.lo >= r.hi) return 0;
  std::uint64_t lo = std::max<std::uint64_t>(r.lo, 2);
  std::vector<char> composite(r.hi - lo, 0);
  for (std::uint64_t p : small_primes(static_cast<std::uint64_t>(std::sqrt(static_cast<double>(r.hi))) + 1)) {
    if (p * p >= r.hi) break;
    for (std::uint64_t m = std::max(p * p, (lo + p - 1) / p * p); m < r.hi; m += p) composite[m - lo] = 1;
  }
  std::uint64_t count = 0;
  for (char c : composite) count += c ? 0 : 1;
  return count;
}

struct Args {
  std::uint64_t n = 0, range = 1000000;
  std::string journal;
  std::string error;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--range" || arg == "--journal") && i + 1 < argc) {
      if (arg == "--range") a.range = std::strtoull(argv[++i], nullptr, 10);
      else a.journal = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && a.n == 0) {
      a.n = std::strtoull(arg.c_str(), nullptr, 10);
    } else {
      a.error = "unknown argument " + arg;
    }
  }
  if (a.error.empty() && (a.n == 0 || a.range == 0))
    a.error = "usage: beowulf-primes N [--range R] [--journal FILE] (N and R positive)";
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  beowulf::mpi::Session mpi(argc, argv);
  Args args = parse(argc, argv);
  if (!args.error.empty()) {
    if (mpi.is_master()) std::fprintf(stderr, "beowulf-primes: %s\n", args.error.c_str());
    return 2;  // every rank sees the same argv: all leave before the farm starts
  }
  beowulf::TaskFarm<Range, std::uint64_t> farm(mpi, count_primes, {.journal = args.journal});
  if (!farm.is_master()) return 0;

  std::vector<Range> ranges;
  for (std::uint64_t lo = 0; lo < args.n; lo += args.range)
    ranges.push_back({lo, std::min(args.n, lo + args.range)});
  std::uint64_t total = 0;
  for (auto& count : farm.map(ranges)) total += count.value();
  std::printf("primes below %llu: %llu\n", static_cast<unsigned long long>(args.n),
              static_cast<unsigned long long>(total));
  std::fflush(stdout);  // the result first, also where stdout and stderr go to one file
  if (!args.journal.empty())
    std::fprintf(stderr, "beowulf-primes: journal %s: %zu of %zu ranges already done, %zu sieved now\n",
                 args.journal.c_str(), farm.stats().from_journal, ranges.size(), farm.stats().tasks_run);
  return 0;
}
