// Squares 1..10 on the workers; the master prints their sum.
#include <beowulf/taskfarm.h>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  beowulf::mpi::Session mpi(argc, argv);
  beowulf::TaskFarm<int, int> farm(mpi, [](const int& x) { return x * x; });
  if (farm.is_master()) {
    std::vector<int> tasks{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    int sum = 0;
    for (auto& r : farm.map(tasks)) sum += r.value();
    std::printf("squares of 1..10 sum to %d\n", sum);
  }
}
