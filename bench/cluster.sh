# Sourced by bench/fanout, bench/launch and bench/copy: a virtual cluster of fresh boards
# made members the way a user does it (beowulf init, beowulf add), and helpers that run
# and time commands in its master as the boards' user. Needs root; the sim goes down on
# exit, whatever happens.
#   BEOWULF_BUILD=build/ci bench/fanout    use an existing build (default: scripts/build release)

if [[ $(id -u) -ne 0 ]]; then
  echo "$(basename "$0"): needs root: the virtual cluster is made of network namespaces" >&2
  exit 2
fi
# bench_tools: the anchors the sourcing benchmark needs (default: pdsh, clush, pdcp).
for tool in ${bench_tools-pdsh clush pdcp}; do
  command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool is missing" >&2; echo "hint: scripts/install-deps --bench" >&2; exit 2; }
done

build="${BEOWULF_BUILD:-$(scripts/build release)}"
bin="$PWD/$build/src/cli"
cpi="$PWD/$build/examples/beowulf-cpi"
sim_name=""

cluster_down() { [[ -n "$sim_name" ]] && "$bin/beowulf" sim down --name "$sim_name" >/dev/null; sim_name=""; }
trap cluster_down EXIT

# cluster_up NAME WORKERS SUBNET: the sim, and its workers added to the master's cluster.
cluster_up() {
  sim_name="$1"
  local prefix="${3%.0/24}"
  "$bin/beowulf" sim down --name "$1" >/dev/null 2>&1 || true
  "$bin/beowulf" sim up --name "$1" --workers "$2" --subnet "$3" ${sim_flags:-} >/dev/null
  in_master "beowulf init >/dev/null && echo linaro | beowulf add '$prefix.[11-$((10 + $2))]' --user linaro --password-stdin >/dev/null"
}

# in_master SCRIPT: runs SCRIPT with bash in the master, as the boards' user, with the
# built beowulf and beowulf-cpi on PATH.
in_master() {
  "$bin/beowulf" sim exec --name "$sim_name" master --user linaro -- \
    env "PATH=$bin:$(dirname "$cpi"):/usr/local/bin:/usr/bin:/bin" bash -c "$1"
}

# median_ms RUNS SETUP SCRIPT: the median wall time of SCRIPT in the master, in
# milliseconds, each run timed inside the master (the sim's own exec is not counted)
# after SETUP (not timed). A failing run aborts the benchmark.
median_ms() {
  in_master "
    for i in \$(seq $1); do
      ( $2 ) >/dev/null 2>&1
      s=\$(date +%s%N); ( $3 ) >/dev/null 2>/tmp/bench.err || { cat /tmp/bench.err >&2; exit 1; }
      e=\$(date +%s%N); echo \$(( (e - s) / 1000000 ))
    done | sort -n | awk '{ a[NR] = \$1 } END { print a[int((NR + 1) / 2)] }'"
}

# The command that closes every ControlMaster socket of the master's user: cold ssh.
close_sockets='for s in ~/.beowulf/ssh/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x 2>/dev/null; done; true'

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
