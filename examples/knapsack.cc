// knapsack: branch and bound on a task farm, the dynamic way. The items go to every
// worker once (the farm's context); a task is a node of the search tree; a worker
// searches below its node (depth first, up to a budget of nodes) and sends back the
// best packing it found and the nodes left to search; the master submits those whose
// bound can still beat the best packing so far (farm.run with control.submit).
//
//   mpiexec -n 4 beowulf-knapsack                 40 items, seed 1
//   mpiexec -n 4 beowulf-knapsack --items 60 --seed 7 --nodes-per-task 500
//
// Prints:
//   best value 1234, weight 999 of 1000, 21 items
//   search: 75 tasks
#include <beowulf/taskfarm.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

struct Item {
  std::uint32_t weight, value;
};

/// The problem, sent once to every worker: items by falling value per weight.
struct Instance {
  std::uint64_t capacity = 0;
  std::vector<Item> items;
};
void serialize(beowulf::Writer& w, const Instance& in) { w << in.capacity << in.items; }
void deserialize(beowulf::Reader& r, Instance& in) { r >> in.capacity >> in.items; }

/// A node of the search: items [0, level) decided (bit i of `taken`: item i packed).
/// `floor` is the best value known when it was submitted: no need to search below it;
/// `budget` is how many nodes the task may visit before it hands the rest back.
struct Node {
  std::uint32_t level = 0;
  std::uint64_t weight = 0, value = 0, taken = 0, floor = 0, budget = 0;
};

/// What a worker found below a node: its best packing and the nodes it left.
struct Found {
  Node best;
  std::vector<Node> open;
};
void serialize(beowulf::Writer& w, const Found& f) { w << f.best << f.open; }
void deserialize(beowulf::Reader& r, Found& f) { r >> f.best >> f.open; }

/// The most `n` could reach if items could be cut (the items are sorted by density).
double bound(const Instance& in, const Node& n) {
  double value = static_cast<double>(n.value);
  std::uint64_t room = in.capacity - n.weight;
  for (std::size_t i = n.level; i < in.items.size(); ++i) {
    const Item& it = in.items[i];
    if (it.weight <= room) {
      room -= it.weight;
      value += it.value;
    } else {
      return value + static_cast<double>(it.value) * static_cast<double>(room) / it.weight;
    }
  }
  return value;
}

void search(const Instance& in, const Node& n, std::uint64_t& budget, Found& f) {
  if (n.value > f.best.value) f.best = n;
  if (n.level == in.items.size()) return;
  if (bound(in, n) <= static_cast<double>(std::max(f.best.value, n.floor))) return;
  if (budget == 0) {
    f.open.push_back(n);  // left for another task
    return;
  }
  --budget;
  const Item& it = in.items[n.level];
  if (n.weight + it.weight <= in.capacity)
    search(in, {n.level + 1, n.weight + it.weight, n.value + it.value, n.taken | (1ull << n.level), n.floor, n.budget},
           budget, f);
  search(in, {n.level + 1, n.weight, n.value, n.taken, n.floor, n.budget}, budget, f);
}

Found expand(const Instance& in, const Node& n) {
  Found f;
  f.best = n;
  std::uint64_t budget = n.budget;
  search(in, n, budget, f);
  return f;
}

/// Items from a small LCG, so that a test can build the same instance.
Instance make_instance(int count, std::uint64_t seed) {
  Instance in;
  std::uint64_t x = seed, total = 0;
  auto next = [&] { return (x = x * 6364136223846793005ull + 1442695040888963407ull) >> 33; };
  for (int i = 0; i < count; ++i) {
    Item it{static_cast<std::uint32_t>(1 + next() % 100), static_cast<std::uint32_t>(1 + next() % 100)};
    in.items.push_back(it);
    total += it.weight;
  }
  in.capacity = total / 2;
  std::stable_sort(in.items.begin(), in.items.end(), [](const Item& a, const Item& b) {
    return std::uint64_t{a.value} * b.weight > std::uint64_t{b.value} * a.weight;
  });
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  beowulf::mpi::Session mpi(argc, argv);
  int items = 40;
  std::uint64_t seed = 1, nodes_per_task = 20000;  // about a millisecond of search
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--items") == 0) items = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--nodes-per-task") == 0) nodes_per_task = std::strtoull(argv[i + 1], nullptr, 10);
  }
  if (items < 1 || items > 64) {
    if (mpi.is_master()) std::fprintf(stderr, "beowulf-knapsack: --items takes 1 to 64\n");
    return 2;
  }
  Instance instance = mpi.is_master() ? make_instance(items, seed) : Instance{};
  beowulf::TaskFarm<Node, Found> farm(mpi, instance, expand);  // the instance goes out once
  if (!farm.is_master()) return 0;

  Node best;
  std::size_t tasks = 0;
  farm.run({Node{.budget = nodes_per_task}}, [&](const Node&, beowulf::Outcome<Found>&& found, beowulf::FarmControl<Node>& control) {
    ++tasks;
    if (found->best.value > best.value) best = found->best;
    for (Node n : found->open) {
      n.floor = best.value;
      if (bound(instance, n) > static_cast<double>(best.value)) control.submit(n);
    }
  });
  int packed = 0;
  for (std::uint64_t bits = best.taken; bits; bits &= bits - 1) ++packed;
  std::printf("best value %llu, weight %llu of %llu, %d items\n", static_cast<unsigned long long>(best.value),
              static_cast<unsigned long long>(best.weight), static_cast<unsigned long long>(instance.capacity),
              packed);
  std::printf("search: %zu tasks\n", tasks);
  return 0;
}
