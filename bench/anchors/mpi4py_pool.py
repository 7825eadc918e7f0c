"""The anchor of bench/taskfarm: mpi4py.futures.MPIPoolExecutor.map over empty tasks.

Run as  mpiexec.openmpi -n R python3 -m mpi4py.futures mpi4py_pool.py N CHUNKSIZE
(rank 0 runs this script, the other R-1 ranks are the pool's workers).
Prints tasks per second, the best of three calls.
"""
import sys
import time

from mpi4py.futures import MPIPoolExecutor


def empty(x):
    return x


def main():
    n, chunksize = int(sys.argv[1]), int(sys.argv[2])
    with MPIPoolExecutor() as pool:
        for _ in pool.map(empty, range(100)):  # warm-up: the workers are up
            pass
        seconds = []
        for _ in range(3):  # the best of three calls, as the farm's side does
            start = time.perf_counter()
            total = sum(pool.map(empty, range(n), chunksize=chunksize))
            seconds.append(time.perf_counter() - start)
            assert total == n * (n - 1) // 2
    seconds = min(seconds)
    print(f"{n / seconds:.0f}")


if __name__ == "__main__":
    main()
