#pragma once
// beowulf/taskfarm.h: the master-worker pattern over MPI in a few lines.
//
//   #include <beowulf/taskfarm.h>
//   int main(int argc, char** argv) {
//     beowulf::mpi::Session mpi(argc, argv);
//     beowulf::TaskFarm<Tile, Pixels> farm(mpi, render_tile);  // workers serve here
//     if (farm.is_master()) {
//       auto images = farm.map(tiles);                         // outcomes in task order
//       farm.for_each_result(more_tiles, [](const Tile&, beowulf::Outcome<Pixels>&& p) {});
//     }
//   }
//
// Link with the CMake target beowulf::taskfarm (find_package(beowulf)). Header-only; MPI
// is the only dependency. See farm.h for the protocol, journal.h for resuming a run.

#include "beowulf/taskfarm/farm.h"
#include "beowulf/taskfarm/fields.h"
#include "beowulf/taskfarm/handshake.h"
#include "beowulf/taskfarm/journal.h"
#include "beowulf/taskfarm/layout.h"
#include "beowulf/taskfarm/options.h"
#include "beowulf/taskfarm/outcome.h"
#include "beowulf/taskfarm/progress.h"
#include "beowulf/taskfarm/schedule.h"
#include "beowulf/taskfarm/serialize.h"
#include "beowulf/taskfarm/session.h"
#include "beowulf/taskfarm/task_runner.h"
#include "beowulf/taskfarm/wire.h"
#include "beowulf/taskfarm/worker.h"
