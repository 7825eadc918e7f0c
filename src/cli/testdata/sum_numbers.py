# For `beowulf run`'s tests: an mpi4py script that reads the file named in its first
# argument (one number a line), each rank adding every size-th line from its own rank
# on; then every rank prints the sum of all of them (an allreduce) and where it ran.
import socket
import sys

from mpi4py import MPI

comm = MPI.COMM_WORLD
with open(sys.argv[1]) as numbers:
    mine = sum(int(line) for i, line in enumerate(numbers) if i % comm.size == comm.rank)
total = comm.allreduce(mine, op=MPI.SUM)
print(f"rank {comm.rank} of {comm.size} on {socket.gethostname()}: total {total}", flush=True)
